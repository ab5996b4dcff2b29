package io.persistiqsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.persistiqsync.SyncTestSupport;
import io.persistiqsync.runtime.SyncRuntime;
import io.persistiqsync.simulator.PersistIqSimulator;
import io.persistiqsync.simulator.RecordedRequest;
import io.persistiqsync.simulator.SimulatorSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Two accounts in one runtime (persistiq.accounts = acme,globex), each with its own API (a simulator
 * of its own on loopback, with its own key and rate limit) and its own DuckDB file: they sync side by
 * side, each paced under its own limit (no 429 at either), each key sent only to its own host. Or each
 * with its own schema of one PostgreSQL database: each schema holds its own account's tables and runs.
 */
@Tag("integration")
class SeveralAccountsTest {

    @Test
    void twoAccountsSyncInParallelEachPacedToItsOwnLimitIntoItsOwnCache() throws Exception {
        // one API host serving two accounts (the multi-account simulator), told apart by their keys only: acme may
        // send 20 requests per 2 s (600/min), globex 4 (120/min); each is paced below its own. One pacer shared at
        // acme's 500/min would let globex run at ~250/min (half the slots each), one key for both would reach one
        // account's data only.
        SimulatorSettings served = SimulatorSettings.builder().apiKey("main-key-00").users(2).leads(1200).campaigns(2)
                .account("acme", "acme-key-41", 20).account("globex", "globex-key-97", 4).rateLimitWindow(Duration.ofSeconds(2)).build();
        try (PersistIqSimulator api = PersistIqSimulator.start(served)) {
            Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "accounts");
            Map<String, String> settings = new HashMap<>();
            settings.put("persistiq.accounts", "acme,globex");
            settings.put("persistiq.base-url", api.baseUrl().toString());
            settings.put("persistiq.account.acme.api-key", "acme-key-41");
            settings.put("persistiq.account.acme.max-requests-per-minute", "500");
            settings.put("persistiq.account.acme.cache.url", "jdbc:duckdb:" + dir.resolve("acme.duckdb"));
            settings.put("persistiq.account.globex.api-key", "globex-key-97");
            settings.put("persistiq.account.globex.max-requests-per-minute", "90");
            settings.put("persistiq.account.globex.cache.url", "jdbc:duckdb:" + dir.resolve("globex.duckdb"));
            settings.put("persistiq.streams", "users,leads,campaigns");
            settings.put("persistiq.retry-initial-delay", "20");
            settings.put("persistiq.page-concurrency", "1");

            Map<String, SyncReport> reports;
            try (SyncRuntime runtime = SyncRuntime.start(settings)) {
                assertEquals(List.of("acme", "globex"), runtime.accounts());
                reports = runtime.syncAccounts(runtime.accounts());
                // JMX: each account's streams under its own name, counting its own requests
                javax.management.MBeanServer jmx = java.lang.management.ManagementFactory.getPlatformMBeanServer();
                for (String account : List.of("acme", "globex")) {
                    var leads = new javax.management.ObjectName("persistiq.sync:account=" + account + ",type=stream,name=leads");
                    assertEquals(requests(api, account, "/v1/leads"), ((Number) jmx.getAttribute(leads, "TotalRequests")).longValue(), account);
                    assertTrue(jmx.isRegistered(new javax.management.ObjectName("persistiq.sync:account=" + account + ",type=runtime")));
                }
                assertFalse(jmx.isRegistered(new javax.management.ObjectName("persistiq.sync:type=stream,name=leads")),
                        "a one-account name in a runtime of several accounts");
            }
            assertTrue(reports.get("acme").succeeded(), () -> reports.toString());
            assertTrue(reports.get("globex").succeeded(), () -> reports.toString());

            // every request reached its account with its own key, and the API never had to refuse one for the rate
            assertEquals(0, api.requests().rateLimited(), "429s");
            assertTrue(api.requests().requests().stream().allMatch(RecordedRequest::apiKeyMatched), "a request without a known key");
            assertEquals(0, requests(api, "main", "/v1/"), "a request with the global (main) key");
            // each cache holds its own account's data
            String acmeDb = "jdbc:duckdb:" + dir.resolve("acme.duckdb");
            String globexDb = "jdbc:duckdb:" + dir.resolve("globex.duckdb");
            assertEquals(new HashSet<>(api.account("acme").liveLeadIds()), ids(acmeDb, "leads"));
            assertEquals(new HashSet<>(api.account("globex").liveLeadIds()), ids(globexDb, "leads"));

            // side by side: each sync's span overlaps the other's
            Timestamp[] a = span(acmeDb);
            Timestamp[] g = span(globexDb);
            assertTrue(a[0].before(g[1]) && g[0].before(a[1]), "the two accounts' syncs ran one after the other");
            // each paced to its own limit: globex at most its 90/min (a window's worth of slack), acme well above what
            // globex may (it is not held to the other account's limit)
            double acmeSeconds = (a[1].getTime() - a[0].getTime()) / 1000.0;
            double globexSeconds = (g[1].getTime() - g[0].getTime()) / 1000.0;
            long globexRequests = requests(api, "globex", "/v1/");
            long acmeRequests = requests(api, "acme", "/v1/");
            assertTrue(globexRequests <= 90 * globexSeconds / 60 + 4, globexRequests + " requests in " + globexSeconds + " s");
            assertTrue(acmeRequests / acmeSeconds * 60 > 200, acmeRequests + " requests in " + acmeSeconds + " s");
        }
    }

    @Test
    void twoAccountsInTheirOwnSchemasOfOnePostgresNeverCross() throws Exception {
        SimulatorSettings served = SimulatorSettings.builder().apiKey("main-key-00").users(2).leads(300).campaigns(1)
                .account("acme", "acme-key-41", 0).account("globex", "globex-key-97", 0).build();
        try (PersistIqSimulator api = PersistIqSimulator.start(served); EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            api.account("globex").addLeads(25); // sizes apart too: a count that crossed over would show
            String url = postgres.getJdbcUrl("postgres", "postgres");
            Map<String, String> settings = new HashMap<>();
            settings.put("persistiq.accounts", "acme,globex");
            settings.put("persistiq.base-url", api.baseUrl().toString());
            settings.put("cache.url", url);
            settings.put("persistiq.account.acme.api-key", "acme-key-41");
            settings.put("persistiq.account.acme.cache.schema", "acme");
            settings.put("persistiq.account.globex.api-key", "globex-key-97");
            settings.put("persistiq.account.globex.cache.schema", "globex");
            settings.put("persistiq.streams", "users,leads");
            settings.put("persistiq.retry-initial-delay", "20");

            Map<String, SyncReport> reports;
            try (SyncRuntime runtime = SyncRuntime.start(settings)) {
                reports = runtime.syncAccounts(runtime.accounts());
            }
            assertTrue(reports.get("acme").succeeded() && reports.get("globex").succeeded(), () -> reports.toString());

            Set<String> acme = ids(url, "acme.leads");
            Set<String> globex = ids(url, "globex.leads");
            assertEquals(300, acme.size());
            assertEquals(325, globex.size());
            assertEquals(new HashSet<>(api.account("acme").liveLeadIds()), acme);
            assertEquals(new HashSet<>(api.account("globex").liveLeadIds()), globex);
            assertTrue(Collections.disjoint(acme, globex), "a lead in both schemas");
            assertTrue(Collections.disjoint(acme, api.account("globex").liveLeadIds()), "a globex lead in acme's schema");
            // each schema's run log holds its own account's runs: one per stream, counting that account's leads
            for (String[] account : new String[][] {{"acme", "300"}, {"globex", "325"}}) {
                List<Map<String, Object>> runs = SyncTestSupport.rows(url,
                        "SELECT stream, status, records_new FROM " + account[0] + "._sync_runs ORDER BY stream");
                assertEquals(List.of(Map.of("stream", "leads", "status", "succeeded", "records_new", Long.parseLong(account[1])),
                        Map.of("stream", "users", "status", "succeeded", "records_new", 2L)), runs.stream().map(SeveralAccountsTest::longs).toList(),
                        account[0]);
            }
            // and nothing landed in the database's default schema
            assertEquals(List.of(), SyncTestSupport.rows(url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"));
        }
    }

    /** A row with its whole numbers as longs (drivers answer int, long or BigDecimal by column type). */
    private static Map<String, Object> longs(Map<String, Object> row) {
        Map<String, Object> out = new HashMap<>();
        row.forEach((k, v) -> out.put(k, v instanceof Number n ? (Object) n.longValue() : v));
        return out;
    }

    private static Set<String> ids(String url, String table) throws Exception {
        Set<String> ids = new HashSet<>();
        SyncTestSupport.rows(url, "SELECT id FROM " + table).forEach(r -> ids.add((String) r.get("id")));
        return ids;
    }

    private static long requests(PersistIqSimulator api, String account, String pathPrefix) {
        return api.requests().requests().stream().filter(r -> account.equals(r.account()) && r.path().startsWith(pathPrefix)).count();
    }

    @Test
    void commandsTakeAnAccountAndStatusShowsEveryAccount() throws Exception {
        try (PersistIqSimulator acme = PersistIqSimulator.start(SimulatorSettings.builder().apiKey("acme-key-41").users(2).leads(30).campaigns(1).build());
             PersistIqSimulator globex = PersistIqSimulator.start(SimulatorSettings.builder().apiKey("globex-key-97").users(3).leads(40).campaigns(1).build())) {
            Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "accounts");
            Map<String, String> settings = new HashMap<>();
            settings.put("persistiq.accounts", "acme,globex");
            settings.put("persistiq.account.acme.base-url", acme.baseUrl().toString());
            settings.put("persistiq.account.acme.api-key", "acme-key-41");
            settings.put("persistiq.account.acme.cache.url", "jdbc:duckdb:" + dir.resolve("acme.duckdb"));
            settings.put("persistiq.account.globex.base-url", globex.baseUrl().toString());
            settings.put("persistiq.account.globex.api-key", "globex-key-97");
            settings.put("persistiq.account.globex.cache.url", "jdbc:duckdb:" + dir.resolve("globex.duckdb"));
            settings.put("persistiq.streams", "users,leads");

            Cli.Result synced = Cli.run(settings, "sync", "--account", "globex", "--progress", "off");
            assertEquals(0, synced.exitCode(), synced.err());
            assertEquals(0, acme.requests().count(), "--account globex asked acme's API");
            assertTrue(globex.requests().count() > 0);
            assertEquals(40, count("jdbc:duckdb:" + dir.resolve("globex.duckdb"), "SELECT count(*) FROM leads"));

            Cli.Result checked = Cli.run(settings, "check", "--account", "acme");
            assertEquals(0, checked.exitCode(), checked.err());
            assertTrue(acme.requests().requests().stream().allMatch(RecordedRequest::apiKeyMatched));

            // acme has no cache file yet: status says so for acme, and shows globex's runs
            Cli.Result status = Cli.run(settings, "status", "--account", "globex");
            assertEquals(0, status.exitCode(), status.err());
            assertTrue(status.out().startsWith("account globex"), status.out());
            assertTrue(status.out().contains("succeeded"), status.out());

            Cli.Result all = Cli.run(settings, "sync", "--progress", "off");
            assertEquals(0, all.exitCode(), all.err());
            Cli.Result both = Cli.run(settings, "status");
            assertTrue(both.out().contains("account acme") && both.out().contains("account globex"), both.out());
            assertEquals(30, count("jdbc:duckdb:" + dir.resolve("acme.duckdb"), "SELECT count(*) FROM leads"));

            Cli.Result unknown = Cli.run(settings, "sync", "--account", "initech");
            assertEquals(1, unknown.exitCode());
            assertEquals("error: unknown account 'initech': persistiq.accounts lists acme, globex", unknown.err().strip());
        }
    }

    /** The command line with settings as -D properties (as SyncTestSupport.cli). */
    private static final class Cli {
        record Result(int exitCode, String out, String err) {
        }

        static Result run(Map<String, String> settings, String... args) {
            Map<String, String> previous = new HashMap<>();
            settings.forEach((k, v) -> previous.put(k, System.setProperty(k, v)));
            try {
                java.io.StringWriter out = new java.io.StringWriter();
                java.io.StringWriter err = new java.io.StringWriter();
                int code = io.persistiqsync.Application.run(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true), args);
                return new Result(code, out.toString(), err.toString());
            } finally {
                previous.forEach((k, v) -> {
                    if (v == null) System.clearProperty(k);
                    else System.setProperty(k, v);
                });
            }
        }
    }

    @Test
    void anAccountNotListedGetsOneClearLine() throws Exception {
        Map<String, String> settings = Map.of("persistiq.accounts", "acme", "persistiq.account.acmee.api-key", "x",
                "camel.main.routes-collector-enabled", "false");
        Exception e = assertThrows(Exception.class, () -> SyncRuntime.start(settings).close());
        String message = rootMessage(e);
        assertEquals("configuration: persistiq.account.acmee.api-key is for account 'acmee', which persistiq.accounts does not list", message);
    }

    @Test
    void twoAccountsOnOneCacheAreRefused() throws Exception {
        Map<String, String> settings = Map.of("persistiq.accounts", "acme,globex", "camel.main.routes-collector-enabled", "false");
        Exception e = assertThrows(Exception.class, () -> SyncRuntime.start(settings).close());
        assertTrue(rootMessage(e).startsWith("configuration: persistiq.account.globex.cache.url is the cache of account acme too"), rootMessage(e));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && !(t instanceof io.persistiqsync.config.SyncSettings.ConfigurationException)) t = t.getCause();
        return t.getMessage();
    }

    private static long count(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** When the account's first stream began and its last one ended (from _sync_runs). */
    private static Timestamp[] span(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT min(started_at), max(finished_at) FROM _sync_runs")) {
            rs.next();
            return new Timestamp[] {rs.getTimestamp(1), rs.getTimestamp(2)};
        }
    }
}
