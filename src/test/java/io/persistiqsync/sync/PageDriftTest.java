package io.persistiqsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.persistiqsync.SyncTestSupport;
import io.persistiqsync.simulator.SimulatorSettings;

/**
 * Pages drift while data changes: a lead inserted before the cursor pushes the last lead of page 1
 * onto page 2, so the same record arrives twice in one sync. It is stored once. A purpose-built
 * server on loopback answers exactly that.
 */
class PageDriftTest {

    @Test
    void aRecordSeenOnTwoPagesIsStoredOnce() throws Exception {
        HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/v1/leads", exchange -> {
            String query = exchange.getRequestURI().getQuery();
            String base = "http://127.0.0.1:" + api.getAddress().getPort();
            String body = query != null && query.contains("page=2")
                    ? page(false, null, lead("l_000003"), lead("l_000004"))
                    : page(true, base + "/v1/leads?page=2", lead("l_000001"), lead("l_000002"), lead("l_000003"));
            answer(exchange, body);
        });
        api.start();
        try (SyncTestSupport env = new SyncTestSupport(SimulatorSettings.builder().leads(1))) {
            env.set("persistiq.base-url", "http://127.0.0.1:" + api.getAddress().getPort()).set("cache.pages-per-commit", "1");
            SyncReport report = env.sync("leads");
            assertTrue(report.succeeded(), () -> report.results().toString());
            assertEquals(4, env.count("SELECT count(*) FROM leads"));
            assertEquals(4, report.result("leads").created());
            assertEquals(1, report.result("leads").unchanged(), "the second sighting is the same record");
            assertEquals(4, env.count("SELECT count(*) FROM _record_state"));
        } finally {
            api.stop(0);
        }
    }

    private static String lead(String id) {
        return "{\"id\":\"" + id + "\",\"status\":\"active\",\"data\":{\"email\":\"" + id + "@example.com\"},\"sent_count\":1}";
    }

    private static String page(boolean more, String next, String... leads) {
        return "{\"status\":\"success\",\"errors\":[],\"has_more\":" + more + ",\"next_page\":" + (next == null ? "null" : "\"" + next + "\"")
                + ",\"leads\":[" + String.join(",", leads) + "]}";
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
