package io.persistiqsync;

import javax.management.ObjectName;
import javax.management.MBeanServer;
import java.lang.management.ManagementFactory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.persistiqsync.simulator.PersistIqSimulator;
import io.persistiqsync.simulator.SimulatorSettings;
import io.persistiqsync.sync.SyncReport;

/**
 * The embeddable API as another application calls it: built from code alone against the simulator on
 * loopback and a fresh DuckDB file, checked, synced, and the rows read back.
 */
class PersistIqSyncTest {
    static final String KEY = "embedded-key-41c2";
    static PersistIqSimulator api;
    static Path dir;

    @BeforeAll
    static void startApi() throws Exception {
        api = PersistIqSimulator.start(SimulatorSettings.builder().apiKey(KEY).users(3).leads(250).build());
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Files.createDirectories(tmp);
        dir = Files.createTempDirectory(tmp, "embedded");
    }

    @AfterAll
    static void stopApi() {
        api.close();
    }

    /** The builder a user writes, with the pacing opened up so the test runs in seconds. */
    static PersistIqSync.Builder builder(String key, String cacheFile) {
        return PersistIqSync.builder().apiKey(key).baseUrl(api.baseUrl().toString()).cacheUrl("jdbc:duckdb:" + dir.resolve(cacheFile))
                .set("persistiq.max-requests-per-minute", "100000");
    }

    @Test
    void checkStreamsSyncAndRowsBack() throws Exception {
        try (PersistIqSync piq = builder(KEY, "cache.duckdb").build()) {
            piq.check();
            assertEquals(List.of("users", "lead_fields", "lead_statuses", "leads", "campaigns", "campaign_leads", "replies", "events",
                    "dnc_domains", "tags"), piq.streams());

            SyncReport report = piq.sync("users", "leads");
            assertTrue(report.succeeded(), () -> report.results().toString());
            assertEquals(250, report.result("leads").counts().created());
            assertEquals(3, report.result("users").counts().created());

            List<Map<String, Object>> leads = piq.rows("leads");
            assertEquals(250, leads.size());
            Set<Object> ids = new HashSet<>();
            leads.forEach(row -> ids.add(row.get("id")));
            assertEquals(new HashSet<>(api.account().liveLeadIds()), ids);
            // a lead's row as the API has it: typed columns, JSON columns as their text
            String id = api.account().liveLeadIds().get(7);
            Map<String, Object> row = leads.stream().filter(r -> r.get("id").equals(id)).findFirst().orElseThrow();
            assertEquals(api.account().lead(id).get("status").asText(), row.get("status"));
            assertEquals(api.account().lead(id).get("data"), new ObjectMapper().readTree((String) row.get("data")));
            assertEquals(3, piq.rows("users").size());

            // a second sync is incremental: only the edited leads are written again
            api.account().editLeads(3);
            SyncReport again = piq.sync("leads");
            assertTrue(again.succeeded(), () -> again.results().toString());
            assertEquals(3, again.result("leads").counts().changed());
            assertEquals(0, piq.rows("leads", "_deleted_at IS NOT NULL").size());
            long[] seen = {0};
            assertEquals(250, piq.forEachRow("leads", null, rs -> seen[0] += rs.getString("id") == null ? 0 : 1));
            assertEquals(250, seen[0]);
        }
    }

    /** Two instances in one JVM keep their own MBeans: the second's carry Camel's unique context name, and closing it leaves the first's. */
    @Test
    void twoInstancesInOneJvmKeepTheirOwnMBeans() throws Exception {
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        try (PersistIqSync first = builder(KEY, "first.duckdb").build()) {
            try (PersistIqSync second = builder(KEY, "second.duckdb").build()) {
                Set<ObjectName> runtimes = jmx.queryNames(new ObjectName("persistiq.sync:type=runtime,*"), null);
                assertEquals(2, runtimes.size(), runtimes::toString);
                assertTrue(runtimes.contains(new ObjectName("persistiq.sync:type=runtime")), runtimes::toString);
                ObjectName secondRuntime = runtimes.stream().filter(n -> n.getKeyProperty("context") != null).findFirst().orElseThrow();
                assertTrue(jmx.isRegistered(new ObjectName("persistiq.sync:context=" + secondRuntime.getKeyProperty("context")
                        + ",type=stream,name=leads")), runtimes::toString);
                second.sync("users");
                assertEquals(1L, jmx.getAttribute(secondRuntime, "SyncsStarted"), "the second's sync shows on its own MBean");
                assertEquals(0L, jmx.getAttribute(new ObjectName("persistiq.sync:type=runtime"), "SyncsStarted"), "not on the first's");
            }
            assertTrue(jmx.isRegistered(new ObjectName("persistiq.sync:type=runtime")), "closing the second leaves the first's MBeans");
            assertTrue(jmx.isRegistered(new ObjectName("persistiq.sync:type=stream,name=leads")));
            assertEquals(1, jmx.queryNames(new ObjectName("persistiq.sync:type=runtime,*"), null).size());
        }
    }

    @Test
    void aBadKeyIsOneClearLine() {
        try (PersistIqSync piq = builder("not-the-key", "bad-key.duckdb").build()) {
            PersistIqSyncException e = assertThrows(PersistIqSyncException.class, piq::check);
            assertTrue(e.getMessage().startsWith("the API refused the key (HTTP 401"), e.getMessage());
            assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("not-the-key"), e.getMessage());
            SyncReport report = piq.sync("users");
            assertFalse(report.succeeded());
            assertTrue(report.result("users").error().contains("the API refused the key"), report.result("users").error());
        }
    }

    @Test
    void badSettingsAndStreamsSayWhat() {
        PersistIqSyncException e = assertThrows(PersistIqSyncException.class,
                () -> builder(KEY, "x.duckdb").set("persistiq.max-attempts", "many").build());
        assertEquals("configuration: persistiq.max-attempts 'many' is not a whole number", e.getMessage());
        try (PersistIqSync piq = builder(KEY, "unknown.duckdb").build()) {
            IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> piq.sync("leeds"));
            assertTrue(unknown.getMessage().startsWith("unknown stream leeds (known: users,"), unknown.getMessage());
            assertTrue(piq.sync("users").succeeded());
            IllegalArgumentException notSynced = assertThrows(IllegalArgumentException.class, () -> piq.rows("leads"));
            assertEquals("the cache has no table leads yet: sync the stream first", notSynced.getMessage());
        }
    }

    /**
     * Only what the caller gives counts: not a system property (nor environment variables, read the
     * same way), nor the working directory's application.properties and routes/ (this test runs in the
     * project folder, which has both): the routes come from the jar's copy.
     */
    @Test
    void nothingButTheBuilderAndTheJarConfigureIt() throws Exception {
        String previous = System.setProperty("persistiq.api-key", KEY);
        System.setProperty("persistiq.no-such-setting", "x"); // the command line would refuse it; here it is not read at all
        try (PersistIqSync piq = PersistIqSync.builder().baseUrl(api.baseUrl().toString()).cacheUrl("jdbc:duckdb:" + dir.resolve("iso.duckdb")).build()) {
            PersistIqSyncException e = assertThrows(PersistIqSyncException.class, piq::check);
            assertEquals("no API key: give one to PersistIqSync.builder().apiKey(...)", e.getMessage());
        } finally {
            System.clearProperty("persistiq.no-such-setting");
            if (previous == null) System.clearProperty("persistiq.api-key");
            else System.setProperty("persistiq.api-key", previous);
        }
        assertTrue(Files.isDirectory(Path.of("routes")) && Files.exists(Path.of("application.properties")), "the test runs in the project folder");
        try (io.persistiqsync.runtime.SyncRuntime runtime = io.persistiqsync.runtime.SyncRuntime.startEmbedded(Map.of("cache.url", "jdbc:duckdb:" + dir.resolve("r.duckdb")))) {
            List<String> sources = runtime.context().getRoutes().stream().map(r -> r.getSourceLocation()).distinct().toList();
            assertFalse(sources.isEmpty());
            assertTrue(sources.stream().allMatch(s -> s.startsWith("classpath:routes/")), sources::toString);
            assertEquals(List.of("classpath:application.properties"), runtime.context().getPropertiesComponent().getLocations().stream()
                    .map(l -> l.replace(";optional=true", "")).toList());
        }
    }
}
