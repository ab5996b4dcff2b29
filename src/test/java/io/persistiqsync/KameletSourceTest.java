package io.persistiqsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.persistiqsync.simulator.PersistIqSimulator;
import io.persistiqsync.simulator.SimulatorSettings;

/**
 * The persistiq-source Kamelet in a Camel application of its own (nothing of the product configured
 * there): {@code kamelet:persistiq-source -> mock:out} against the simulator on loopback.
 */
class KameletSourceTest {
    static final String KEY = "kamelet-key-9d1e";
    static PersistIqSimulator api;

    @BeforeAll
    static void startApi() {
        // 250 leads at 100 a page: three pages
        api = PersistIqSimulator.start(SimulatorSettings.builder().apiKey(KEY).leads(250).build());
    }

    @AfterAll
    static void stopApi() {
        api.close();
    }

    /** The messages a route from the Kamelet with these parameters delivers, once its read is done. */
    static List<Exchange> read(String parameters, int expected) throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("kamelet:persistiq-source?apiKey=" + KEY + "&baseUrl=" + api.baseUrl() + "&maxRequestsPerMinute=100000&" + parameters)
                            .routeId("leads-out").to("mock:out");
                }
            });
            MockEndpoint out = camel.getEndpoint("mock:out", MockEndpoint.class);
            out.expectedMessageCount(expected);
            out.setResultWaitTime(Duration.ofSeconds(30).toMillis());
            // the read is over when the API has had its last page and the private runtime stopped: then no more arrive
            out.setAssertPeriod(500);
            camel.start();
            out.assertIsSatisfied();
            return new ArrayList<>(out.getExchanges());
        }
    }

    @Test
    void everyLeadArrivesOnceAsJson() throws Exception {
        List<Exchange> messages = read("stream=leads", 250);
        ObjectMapper json = new ObjectMapper();
        Set<String> ids = new HashSet<>();
        for (Exchange m : messages) {
            assertEquals("application/json", m.getMessage().getHeader("Content-Type"));
            JsonNode lead = json.readTree(m.getMessage().getBody(String.class));
            assertTrue(ids.add(lead.get("id").asText()), "twice: " + lead.get("id"));
            assertEquals(api.account().lead(lead.get("id").asText()), lead);
        }
        assertEquals(new HashSet<>(api.account().liveLeadIds()), ids);
    }

    @Test
    void updatedSinceReadsOnlyTheLeadsChangedAfterIt() throws Exception {
        // generated leads were last updated in 2019-2024; an edit now is after 2025
        List<String> edited = api.account().editLeads(7);
        List<Exchange> messages = read("stream=leads&updatedSince=2025-01-01T00:00:00Z", 7);
        Set<String> ids = new HashSet<>();
        for (Exchange m : messages) ids.add(new ObjectMapper().readTree(m.getMessage().getBody(String.class)).get("id").asText());
        assertEquals(new HashSet<>(edited), ids);
        assertTrue(api.requests().requests().stream().anyMatch(r -> "2025-01-01T00:00:00+00:00".equals(r.query().get("updated_after"))));
    }
}
