package io.persistiqsync.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.persistiqsync.SyncTestSupport;
import io.persistiqsync.api.StreamCatalog;
import io.persistiqsync.runtime.SyncRuntime;
import io.persistiqsync.simulator.SimulatorSettings;
import io.persistiqsync.sync.StreamResult;
import io.persistiqsync.sync.SyncReport;
import io.persistiqsync.sync.SyncRequest;

/**
 * Database faults under a sync, with a real PostgreSQL: a restart mid-sync is ridden out in the same
 * run (rolled back to the last commit, reconnected, gone on), and a fault that waiting cannot fix
 * (permission denied) stops the stream at once with the cause in one line and a true run history.
 */
@Tag("integration")
class CacheFaultsTest {
    private static final int LEADS = 3000;

    private SyncTestSupport env;
    private EmbeddedPostgresServer postgres;

    @BeforeEach
    void start() throws Exception {
        env = new SyncTestSupport(SimulatorSettings.builder().users(1).leads(LEADS).campaigns(1));
        postgres = new EmbeddedPostgresServer(env.dir.resolve("pgdata"));
        env.set("cache.url", postgres.url());
        env.set("cache.pages-per-commit", "2");
        env.set("cache.retry-initial-delay", "100");
        env.set("cache.retry-max-delay", "1000");
        env.set("cache.max-attempts", "30");
        // ~20 pages a second: the restart lands mid-sync
        env.set("persistiq.max-requests-per-minute", "1200");
    }

    @AfterEach
    void stop() throws Exception {
        try {
            postgres.close();
        } finally {
            env.close();
        }
    }

    @Test
    void aDatabaseRestartMidSyncIsRiddenOutInTheSameRun() throws Exception {
        try (SyncRuntime runtime = env.start()) {
            CompletableFuture<SyncReport> sync = CompletableFuture.supplyAsync(
                    () -> runtime.sync(new SyncRequest(StreamCatalog.select(List.of("leads")), false, false)));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> env.simulator.requests().count("/v1/leads") >= 8);
            postgres.restart();

            SyncReport report = sync.get(120, TimeUnit.SECONDS);
            StreamResult leads = report.result("leads");
            assertEquals("succeeded", leads.status(), () -> String.valueOf(leads.error()));
            assertEquals(LEADS, leads.counts().created(), "every lead counted once: pages not committed before the restart were read again, not counted twice");
        }
        assertEquals(LEADS, count("SELECT count(DISTINCT id) FROM public.leads"));
        assertEquals(LEADS, count("SELECT count(*) FROM public.leads"));
        assertEquals(LEADS, count("SELECT count(*) FROM public._record_state WHERE stream = 'leads'"));
        List<Map<String, Object>> runs = rows("SELECT status, records_new, error FROM public._sync_runs WHERE stream = 'leads'");
        assertEquals(1, runs.size(), "one run, gone on after the restart: " + runs);
        assertEquals("succeeded", runs.get(0).get("status"));
        assertEquals(LEADS, ((Number) runs.get(0).get("records_new")).longValue());
    }

    @Test
    void aFaultThatWaitingCannotFixStopsTheStreamAtOnceWithItsCauseAndATrueRecord() throws Exception {
        try (Connection admin = DriverManager.getConnection(postgres.url()); Statement s = admin.createStatement()) {
            s.execute("CREATE ROLE syncer LOGIN PASSWORD 'pw-8d1f'");
            s.execute("GRANT CREATE ON SCHEMA public TO syncer");
        }
        env.set("cache.url", "jdbc:postgresql://localhost:" + postgres.port() + "/postgres");
        env.set("cache.user", "syncer");
        // ~5 pages a second: the sync is still running when its rights go
        env.set("persistiq.max-requests-per-minute", "300");
        env.set("cache.password", "pw-8d1f");
        try (SyncRuntime runtime = env.start()) {
            CompletableFuture<SyncReport> sync = CompletableFuture.supplyAsync(
                    () -> runtime.sync(new SyncRequest(StreamCatalog.select(List.of("leads")), false, false)));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> env.simulator.requests().count("/v1/leads") >= 8);
            // the operator takes the sync's rights away mid-sync (the table is the sync's own, so it is moved away from it)
            try (Connection admin = DriverManager.getConnection(postgres.url()); Statement s = admin.createStatement()) {
                s.execute("ALTER TABLE public.leads OWNER TO postgres");
                s.execute("REVOKE ALL ON public.leads FROM syncer");
            }
            SyncReport report = sync.get(60, TimeUnit.SECONDS);
            StreamResult leads = report.result("leads");
            assertEquals("failed", leads.status());
            String error = leads.error();
            assertTrue(error.startsWith("leads page "), error);
            assertTrue(error.contains("permission denied by the cache (PostgreSQL at localhost:" + postgres.port() + ")"), error);
            assertTrue(error.contains("the sync stopped after page "), error);
            assertEquals(1, error.lines().count());
            assertTrue(!error.contains("pw-8d1f"));
        }
        List<Map<String, Object>> runs = rows("SELECT status, records_new, pages, error FROM public._sync_runs WHERE stream = 'leads'");
        assertEquals(1, runs.size(), runs::toString);
        assertEquals("failed", runs.get(0).get("status"), "recorded as failed, not left running");
        long committed = count("SELECT count(*) FROM public.leads");
        assertEquals(committed, ((Number) runs.get(0).get("records_new")).longValue(), "the run records what it committed");
        assertNotNull(runs.get(0).get("error"));
        assertNull(rows("SELECT status FROM public._sync_runs WHERE status = 'running'").stream().findAny().orElse(null));
    }

    private long count(String sql) throws Exception {
        return ((Number) rows(sql).get(0).values().iterator().next()).longValue();
    }

    private List<Map<String, Object>> rows(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(postgres.url()); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<Map<String, Object>> out = new java.util.ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new java.util.LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                out.add(row);
            }
            return out;
        }
    }

    /** A PostgreSQL that can be stopped and started again on the same data and port, as a restart does. */
    static final class EmbeddedPostgresServer implements AutoCloseable {
        private final Path data;
        private final int port;
        private io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;

        EmbeddedPostgresServer(Path data) throws Exception {
            this.data = data;
            try (ServerSocket s = new ServerSocket(0)) {
                this.port = s.getLocalPort();
            }
            server = start();
        }

        private io.zonky.test.db.postgres.embedded.EmbeddedPostgres start() throws Exception {
            return io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
                    .setPort(port).start();
        }

        String url() {
            return server.getJdbcUrl("postgres", "postgres");
        }

        int port() {
            return port;
        }

        void restart() throws Exception {
            server.close();
            server = start();
        }

        @Override
        public void close() throws Exception {
            server.close();
        }
    }
}
