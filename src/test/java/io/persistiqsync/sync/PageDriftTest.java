package io.persistiqsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.persistiqsync.SyncTestSupport;
import io.persistiqsync.simulator.SimulatorSettings;

/**
 * Pages drift while data changes: a lead inserted before the cursor pushes the last lead of page 1
 * onto page 2, so the same record arrives twice in one sync. It is stored once. A purpose-built
 * server on loopback answers exactly that.
 */
@Tag("integration")
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
            assertEquals(4, report.result("leads").counts().created());
            assertEquals(1, report.result("leads").counts().unchanged(), "the second sighting is the same record");
            assertEquals(4, env.count("SELECT count(*) FROM _record_state"));
        } finally {
            api.stop(0);
        }
    }

    /**
     * Pages drift the other way too: leads deleted on a page already read move the next ones back onto
     * it, so a full pass never sees them. Before marking anything deleted, the pass asks for each missing
     * lead by id (both documented answer shapes): those the API still has stay live, only the gone one
     * (404) is marked.
     */
    @Test
    void leadsMovedOntoAPageAlreadyReadAreAskedForNotMarkedDeleted() throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        try (DriftingApi api = new DriftingApi(asked); SyncTestSupport env = new SyncTestSupport(SimulatorSettings.builder().leads(1))) {
            env.set("persistiq.base-url", api.url());
            assertEquals(7, env.sync("leads").result("leads").counts().created());

            api.drifted = true; // l7 deleted before the pass; l2 and l3 during it, after page 1 was read
            SyncReport report = env.sync(true, false, "leads");
            assertTrue(report.succeeded(), () -> report.results().toString());
            assertEquals(1, report.result("leads").counts().deleted(), "only the lead the API no longer has");
            assertEquals(List.of("/v1/leads/l_000004", "/v1/leads/l_000005", "/v1/leads/l_000007"), asked);
            assertEquals(1, env.count("SELECT count(*) FROM leads WHERE _deleted_at IS NOT NULL"));
            assertEquals(1, env.count("SELECT count(*) FROM leads WHERE _deleted_at IS NOT NULL AND id = 'l_000007'"));
            assertEquals(6, report.result("leads").counts().unchanged(), "l1-l3 and l6 on the pages, l4 and l5 asked for");
        }
    }

    @Test
    void moreMissingLeadsThanTheCheckAllowsAreMarkedWithoutAsking() throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        try (DriftingApi api = new DriftingApi(asked); SyncTestSupport env = new SyncTestSupport(SimulatorSettings.builder().leads(1))) {
            env.set("persistiq.base-url", api.url()).set("sync.delete-check-max", "2");
            env.sync("leads");
            api.drifted = true;
            SyncReport report = env.sync(true, false, "leads");
            assertTrue(report.succeeded(), () -> report.results().toString());
            assertEquals(3, report.result("leads").counts().deleted());
            assertEquals(List.of(), asked, "no lead asked for one by one");
        }
    }

    /** Leads l1-l7 on two pages; drifted: page 2 lost l4 and l5 to page 1 and l7 is gone. */
    private static final class DriftingApi implements AutoCloseable {
        private final HttpServer server;
        volatile boolean drifted;

        DriftingApi(List<String> asked) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/v1/leads", exchange -> {
                String path = exchange.getRequestURI().getPath();
                if (!path.equals("/v1/leads")) {
                    asked.add(path);
                    String id = path.substring("/v1/leads/".length());
                    switch (id) {
                        case "l_000004" -> answer(exchange, 200, "{\"status\":\"success\",\"error\":null,\"lead\":" + lead(id) + "}");
                        case "l_000005" -> answer(exchange, 200, "{\"status\":\"success\",\"errors\":null,\"leads\":[" + lead(id) + "]}");
                        default -> answer(exchange, 404, "{\"status\":\"error\",\"error\":{\"reason\":\"not_found\",\"message\":\"Lead not found\"}}");
                    }
                    return;
                }
                boolean page2 = String.valueOf(exchange.getRequestURI().getQuery()).contains("page=2");
                String body = !page2 ? page(true, url() + "/v1/leads?page=2", lead("l_000001"), lead("l_000002"), lead("l_000003"))
                        : drifted ? page(false, null, lead("l_000006"))
                        : page(false, null, lead("l_000004"), lead("l_000005"), lead("l_000006"), lead("l_000007"));
                answer(exchange, 200, body);
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
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
        answer(exchange, 200, body);
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
