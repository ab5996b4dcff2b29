package io.persistiqsync;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    /** the leads the tests edited (now, so after any updatedSince in 2019-2026) */
    static final Set<String> edited = java.util.concurrent.ConcurrentHashMap.newKeySet();

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
            assertKeyNotInJmx();
            return new ArrayList<>(out.getExchanges());
        }
    }

    /** The key is a password parameter: no MBean of the user's context (endpoint URIs, route parameters) shows it. */
    static void assertKeyNotInJmx() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        List<String> leaks = new ArrayList<>();
        for (ObjectName name : server.queryNames(new ObjectName("org.apache.camel:*"), null)) {
            for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
                try {
                    if (String.valueOf(server.getAttribute(name, attribute.getName())).contains(KEY)) leaks.add(name + " " + attribute.getName());
                } catch (Exception | LinkageError unreadable) {
                    // an attribute that cannot be read shows nothing
                }
            }
        }
        assertTrue(leaks.isEmpty(), () -> "the key shows in " + leaks);
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
        edited.addAll(api.account().editLeads(7));
        List<Exchange> messages = read("stream=leads&updatedSince=2025-01-01T00:00:00Z", edited.size());
        Set<String> ids = new HashSet<>();
        for (Exchange m : messages) ids.add(new ObjectMapper().readTree(m.getMessage().getBody(String.class)).get("id").asText());
        assertEquals(edited, ids);
        assertTrue(api.requests().requests().stream().anyMatch(r -> "2025-01-01T00:00:00+00:00".equals(r.query().get("updated_after"))));
    }

    /** README's route, as written there (only its folder moved to a temporary one): every lead changed since January, a JSON line each. */
    @Test
    void readmeRouteSendsLeadsToAFile(@TempDir Path dir) throws Exception {
        edited.addAll(api.account().editLeads(4));
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("```yaml\n", readme.indexOf("## A Kamelet for Camel routes")) + "```yaml\n".length();
        String route = readme.substring(start, readme.indexOf("```", start));
        assertTrue(route.contains("uri: file:exports"), route);
        route = route.replace("uri: file:exports", "uri: file:" + dir);
        Path file = dir.resolve("leads.ndjson");
        try (CamelContext camel = new DefaultCamelContext()) {
            Properties properties = new Properties();
            properties.setProperty("persistiq.api-key", KEY);
            properties.setProperty("camel.kamelet.persistiq-source.baseUrl", api.baseUrl().toString());
            properties.setProperty("camel.kamelet.persistiq-source.maxRequestsPerMinute", "100000");
            camel.getPropertiesComponent().setInitialProperties(properties);
            PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString("leads-to-file.camel.yaml", route));
            camel.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(file) && Files.readAllLines(file).size() >= edited.size());
        }
        ObjectMapper json = new ObjectMapper();
        Set<String> ids = new HashSet<>();
        for (String line : Files.readAllLines(file)) {
            JsonNode lead = json.readTree(line);
            assertTrue(ids.add(lead.get("id").asText()), "twice: " + lead.get("id"));
            assertEquals(api.account().lead(lead.get("id").asText()), lead);
        }
        assertEquals(edited, ids);
    }
}
