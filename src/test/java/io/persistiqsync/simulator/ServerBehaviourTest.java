package io.persistiqsync.simulator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.persistiqsync.simulator.SimulatorClient.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The API key, the rate limit, latency and parallel clients, over HTTP. */
class ServerBehaviourTest {

    private PersistIqSimulator simulator;
    private SimulatorClient client;

    private void start(SimulatorSettings.Builder settings) {
        simulator = PersistIqSimulator.start(settings.leads(50).apiKey("secret-key").build());
        client = new SimulatorClient(simulator);
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void aWrongKeyGets401EchoingTheKey() {
        start(SimulatorSettings.builder());

        Response response = client.getWithKey("/v1/leads", "wrong-key");

        assertEquals(401, response.status());
        assertEquals("application/json; charset=utf-8", response.header("Content-Type"));
        JsonNode body = response.json();
        assertEquals("error", body.get("status").textValue());
        assertEquals("unauthorized", body.at("/error/reason").textValue());
        assertEquals("Failed to find api key: wrong-key.  Did you set header 'x-api-key' ...",
                body.at("/error/message").textValue());
        assertFalse(simulator.requests().requests().get(0).apiKeyMatched());
    }

    @Test
    void aMissingKeyGets401WithAnEmptyKeyInTheMessage() {
        start(SimulatorSettings.builder());

        Response response = client.getWithKey("/v1/users", null);

        assertEquals(401, response.status());
        assertTrue(response.json().at("/error/message").textValue().startsWith("Failed to find api key: .  "));
    }

    @Test
    void theKeyHeaderNameIsCaseInsensitive() {
        start(SimulatorSettings.builder());
        SimulatorClient.Response response = client.getWithHeader("/v1/users", "X-API-KEY", "secret-key");

        assertEquals(200, response.status());
        assertTrue(simulator.requests().requests().get(0).apiKeyMatched());
    }

    @Test
    void overTheLimitGets429WithHeadersUntilTheWindowEnds() {
        start(SimulatorSettings.builder().rateLimitPerWindow(3).rateLimitWindow(Duration.ofSeconds(2)));

        List<Response> allowed = List.of(client.get("/v1/users"), client.get("/v1/leads"), client.get("/v1/tags"));
        Response refused = client.get("/v1/users");

        for (int i = 0; i < 3; i++) {
            assertEquals(200, allowed.get(i).status());
            assertEquals("3", allowed.get(i).header("X-RateLimit-Limit"));
            assertEquals(Integer.toString(2 - i), allowed.get(i).header("X-RateLimit-Remaining"));
        }
        assertEquals(429, refused.status());
        assertEquals("3", refused.header("X-RateLimit-Limit"));
        assertEquals("0", refused.header("X-RateLimit-Remaining"));
        long reset = Long.parseLong(refused.header("X-RateLimit-Reset"));
        long now = Instant.now().getEpochSecond();
        assertTrue(reset >= now && reset <= now + 3, "reset is the end of the window in epoch seconds: " + reset);
        assertNull(refused.header("Retry-After"), "no source shows Retry-After");
        JsonNode body = refused.json();
        assertEquals("error", body.get("status").textValue());
        assertEquals("too_many_requests", body.at("/error/reason").textValue());
        assertEquals("You performed more than 3 requests per minute. Limit will be reseted at " + reset + ".",
                body.at("/error/message").textValue());

        // refused requests do not count, so polling does not push the reset back
        Response firstOfNextWindow = await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> client.get("/v1/users"), response -> response.status() == 200);
        assertEquals("2", firstOfNextWindow.header("X-RateLimit-Remaining"));
        assertTrue(simulator.requests().rateLimited() >= 1);
    }

    @Test
    void rateLimitHeadersComeWith401Too() {
        start(SimulatorSettings.builder().rateLimitPerWindow(100));

        Response response = client.getWithKey("/v1/users", "wrong-key");

        assertEquals(401, response.status());
        assertEquals("100", response.header("X-RateLimit-Limit"));
        assertEquals("99", response.header("X-RateLimit-Remaining"));
    }

    @Test
    void theRateLimitCanChangeWhileRunning() {
        start(SimulatorSettings.builder());
        assertNull(client.get("/v1/users").header("X-RateLimit-Limit"));

        simulator.setRateLimit(1, Duration.ofSeconds(60));

        assertEquals(200, client.get("/v1/users").status());
        assertEquals(429, client.get("/v1/users").status());
        simulator.setRateLimit(0, Duration.ofSeconds(60));
        assertEquals(200, client.get("/v1/users").status());
    }

    @Test
    void parallelClientsAreServedAtOnce() {
        start(SimulatorSettings.builder().latency(Duration.ofMillis(400)));
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            long started = System.nanoTime();
            List<Future<Response>> answers = new ArrayList<>();
            for (int page = 1; page <= 12; page++) {
                String path = "/v1/leads?page=" + page;
                answers.add(pool.submit(() -> client.get(path)));
            }
            for (Future<Response> answer : answers) {
                assertEquals(200, answer.get().status());
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(took.toMillis() < 12 * 400 / 2, "12 answers of 400 ms each took " + took);
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError(e);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void latencyDelaysEveryAnswer() {
        start(SimulatorSettings.builder());
        simulator.setLatency(Duration.ofMillis(300));

        long started = System.nanoTime();
        assertEquals(200, client.get("/v1/users").status());

        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() >= 300);
    }
}
