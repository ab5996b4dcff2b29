package io.persistiqsync.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.persistiqsync.simulator.SimulatorClient.Response;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each injected fault happens on the next matching request, once, and then service is normal again. */
class FaultPlanTest {

    private static final String PAGE_3 = "/v1/leads?page=3";

    private static PersistIqSimulator simulator;
    private static SimulatorClient client;
    private static String normalPage3;

    @BeforeAll
    static void start() {
        simulator = PersistIqSimulator.start(SimulatorSettings.builder().leads(1000).build());
        client = new SimulatorClient(simulator);
        normalPage3 = client.get(PAGE_3).body();
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @AfterEach
    void serviceIsNormalAgain() {
        assertEquals(0, simulator.faults().pending(), "the fault was used up");
        Response after = client.get(PAGE_3);
        assertEquals(200, after.status());
        assertEquals(normalPage3, after.body());
    }

    @Test
    void rateLimitedCarriesRateHeadersAndTheDocumentedBody() {
        Response response = injectAndGet(Fault.RATE_LIMITED);

        assertEquals(429, response.status());
        assertEquals("100", response.header("X-RateLimit-Limit"));
        assertEquals("0", response.header("X-RateLimit-Remaining"));
        assertTrue(Long.parseLong(response.header("X-RateLimit-Reset")) > System.currentTimeMillis() / 1000);
        assertEquals("too_many_requests", response.json().at("/error/reason").textValue());
    }

    @Test
    void rateLimitedWithoutHeaders() {
        Response response = injectAndGet(Fault.RATE_LIMITED_NO_HEADERS);

        assertEquals(429, response.status());
        assertNull(response.header("X-RateLimit-Reset"));
        assertNull(response.header("Retry-After"));
        assertEquals("too_many_requests", response.json().at("/error/reason").textValue());
    }

    @Test
    void rateLimitedWithRetryAfter() {
        Response response = injectAndGet(Fault.RATE_LIMITED_RETRY_AFTER);

        assertEquals(429, response.status());
        assertEquals("1", response.header("Retry-After"));
        assertNull(response.header("X-RateLimit-Reset"));
    }

    @Test
    void serverErrorsComeAsHtml() {
        for (Fault fault : List.of(Fault.SERVER_ERROR_HTML, Fault.serverErrorHtml(500), Fault.serverErrorHtml(503))) {
            Response response = injectAndGet(fault);

            assertEquals(fault.status(), response.status());
            assertEquals("text/html", response.header("Content-Type"));
            assertTrue(response.body().startsWith("<html>"));
        }
    }

    @Test
    void connectionResetClosesWithoutAnAnswer() throws Exception {
        simulator.faults().inject("/v1/leads", Fault.CONNECTION_RESET, 1);

        // a raw socket, because java.net.http quietly retries a GET whose connection closed
        try (Socket socket = new Socket("127.0.0.1", simulator.port())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + PAGE_3 + " HTTP/1.1\r\nHost: localhost\r\nx-api-key: demo-key\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            assertEquals(-1, in.read(), "closed before a single byte");
        }
        assertEquals(0, simulator.requests().requests().get(simulator.requests().count() - 1).status());
    }

    @Test
    void slowAnswersOutlastAClientTimeout() {
        simulator.faults().inject("/v1/leads", Fault.slow(Duration.ofSeconds(3)), 1);

        assertThrows(HttpTimeoutException.class, () -> client.get(PAGE_3, Duration.ofMillis(300)));
    }

    @Test
    void malformedJson() {
        Response response = injectAndGet(Fault.MALFORMED_JSON);

        assertEquals(200, response.status());
        assertThrows(JsonProcessingException.class, () -> SimulatorClient.MAPPER.readTree(response.body()));
    }

    @Test
    void truncatedJsonIsTheStartOfTheRealAnswer() {
        Response response = injectAndGet(Fault.TRUNCATED_JSON);

        assertEquals(200, response.status());
        assertThrows(JsonProcessingException.class, () -> SimulatorClient.MAPPER.readTree(response.body()));
        assertTrue(normalPage3.startsWith(response.body()));
        assertTrue(response.body().length() > 100);
    }

    @Test
    void missingArrayKeepsTheEnvelope() {
        JsonNode body = injectAndGet(Fault.MISSING_ARRAY).json();

        assertEquals("success", body.get("status").textValue());
        assertTrue(body.has("has_more"));
        assertFalse(body.has("leads"));
    }

    @Test
    void unauthorizedDespiteTheRightKey() {
        Response response = injectAndGet(Fault.UNAUTHORIZED);

        assertEquals(401, response.status());
        assertEquals("unauthorized", response.json().at("/error/reason").textValue());
    }

    @Test
    void repeatNextPagePointsBackAtTheSamePage() {
        JsonNode body = injectAndGet(Fault.REPEAT_NEXT_PAGE).json();

        assertEquals(100, body.get("leads").size());
        assertTrue(body.get("has_more").booleanValue());
        assertEquals(simulator.baseUrl() + PAGE_3, body.get("next_page").textValue());
    }

    @Test
    void foreignNextPagePointsAtAnotherHost() {
        JsonNode body = injectAndGet(Fault.FOREIGN_NEXT_PAGE).json();

        assertEquals(100, body.get("leads").size());
        assertEquals("https://evil.example.com/v1/leads?page=4", body.get("next_page").textValue());
    }

    @Test
    void emptyPageWithMoreThenTheNextPageIsNormal() {
        JsonNode body = injectAndGet(Fault.EMPTY_PAGE_HAS_MORE).json();

        assertEquals(0, body.get("leads").size());
        assertTrue(body.get("has_more").booleanValue());
        assertEquals(simulator.baseUrl() + "/v1/leads?page=4", body.get("next_page").textValue());
        assertEquals(100, client.get("/v1/leads?page=4").json().get("leads").size());
    }

    @Test
    void faultsMatchByPathPrefixAndAreUsedOnePerRequest() {
        simulator.faults().inject("/v1/users", Fault.RATE_LIMITED, 2);

        assertEquals(200, client.get(PAGE_3).status(), "another path is not affected");
        assertEquals(429, client.get("/v1/users").status());
        assertEquals(1, simulator.faults().pending());
        assertEquals(429, client.get("/v1/users?page=2").status());
        assertEquals(200, client.get("/v1/users").status());
    }

    @Test
    void listFaultsWaitForASuccessfulListAnswer() {
        simulator.faults().inject("", Fault.MISSING_ARRAY, 1);

        assertEquals(404, client.get("/v1/nothing").status());
        assertEquals(200, client.get("/v1/leads/" + simulator.account().liveLeadIds().get(0)).status());
        assertEquals(1, simulator.faults().pending(), "not used by an error or a single lead");

        assertFalse(client.get("/v1/tags").json().has("tags"));
    }

    @Test
    void injectedFaultsAreLogged() {
        int before = simulator.requests().rateLimited();

        assertNotEquals(200, injectAndGet(Fault.RATE_LIMITED).status());

        assertEquals(before + 1, simulator.requests().rateLimited());
    }

    private static Response injectAndGet(Fault fault) {
        simulator.faults().inject("/v1/leads", fault, 1);
        return client.get(PAGE_3);
    }
}
