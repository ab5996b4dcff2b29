package io.persistiqsync.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Arrays;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.persistiqsync.SyncTestSupport;
import io.persistiqsync.runtime.SyncRuntime;
import io.persistiqsync.simulator.SimulatorSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The runtime MBean of a clustered `run`: this node's id and state, and every node Quartz knows; and a
 * JMX sync while another node holds the account's writer lock is skipped, answered with the reason and
 * counted, and writes nothing.
 */
@Tag("integration")
class ClusterMBeanTest {

    @Test
    void theRuntimeMBeanShowsTheClustersNodesAndThisOnesState() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                SyncTestSupport env = new SyncTestSupport(SimulatorSettings.builder().users(1).leads(10).campaigns(1))) {
            env.set("cache.url", postgres.getJdbcUrl("postgres", "postgres")).set("sync.schedule-enabled", "true")
                    .set("sync.cluster.enabled", "true").set("sync.cluster.node-id", "node-a").set("sync.cluster.checkin-interval", "PT0.5S")
                    .set("sync.cron", "0 0 0 1 1 ? 2099");
            try (SyncRuntime runtime = env.start()) {
                MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
                ObjectName name = Operations.runtimeName();
                assertEquals("node-a", jmx.getAttribute(name, "NodeId"));
                assertEquals(true, jmx.getAttribute(name, "Clustered"));
                Awaitility.await().atMost(Duration.ofSeconds(30))
                        .until(() -> ((String[]) jmx.getAttribute(name, "ClusterMembers")).length == 1);
                String[] members = (String[]) jmx.getAttribute(name, "ClusterMembers");
                assertTrue(members[0].matches("node-a \\(checked in \\d+\\.\\d s ago, every 0\\.5 s\\)"), members[0]);
                String state = (String) jmx.getAttribute(name, "ClusterNodeState");
                assertTrue(state.startsWith("started, idle: node-a (checked in "), state);

                // another node checking in (as Quartz writes it) is a member too
                try (Connection c = postgres.getPostgresDatabase().getConnection();
                        PreparedStatement s = c.prepareStatement("INSERT INTO qrtz_scheduler_state VALUES ('persistiq-sync', 'node-b', ?, 600000)")) {
                    s.setLong(1, System.currentTimeMillis());
                    s.executeUpdate();
                }
                String[] two = (String[]) jmx.getAttribute(name, "ClusterMembers");
                assertEquals(2, two.length, Arrays.toString(two));
                assertTrue(two[1].startsWith("node-b (checked in ") && two[1].endsWith("every 600.0 s)"), two[1]);
            }
        }
    }

    @Test
    void aJmxSyncWhileAnotherNodeHoldsTheWriterLockIsSkippedWithTheReasonAndCounted() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                SyncTestSupport env = new SyncTestSupport(SimulatorSettings.builder().users(1).leads(10).campaigns(1))) {
            String url = postgres.getJdbcUrl("postgres", "postgres");
            env.set("cache.url", url).set("persistiq.streams", "users,leads");
            try (SyncRuntime runtime = env.start()) {
                MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
                ObjectName leads = Operations.streamName("leads");
                assertEquals("sync of leads started", jmx.invoke(leads, "syncNow", null, null));
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> (long) jmx.getAttribute(leads, "Runs") == 1);
                assertEquals(10, leadCount(url));
                long runs = runRows(url);
                env.simulator.account().addLeads(5); // what a sync would now write

                // another node's writer lock, taken as WriterLock takes it: a session-level advisory lock on the key
                // "persistiq-sync:<schema>:<account>" (here the default schema, the default account), from a session
                // that names its node
                try (Connection other = DriverManager.getConnection(url + "&ApplicationName=persistiq-sync%20writer%20node-z")) {
                    assertTrue(tryAdvisoryLock(other, "persistiq-sync::default"), "the lock was free");
                    String answer = (String) jmx.invoke(leads, "syncNow", null, null);
                    assertTrue(answer.matches("skipped: another sync of this account holds the cache's writer lock \\(node node-z( at [^)]+)?\\);"
                            + " counted in SkippedSyncs and SkippedRuns"), answer);
                    // counted by the time the answer comes: the skip decided it
                    assertEquals(1L, jmx.getAttribute(leads, "SkippedRuns"));
                    assertEquals(1L, jmx.getAttribute(Operations.runtimeName(), "SkippedSyncs"));

                    String all = (String) jmx.invoke(Operations.runtimeName(), "syncAllNow", null, null);
                    assertTrue(all.startsWith("skipped: another sync of this account holds the cache's writer lock (node node-z"), all);
                    assertEquals(2L, jmx.getAttribute(leads, "SkippedRuns"));
                    assertEquals(1L, jmx.getAttribute(Operations.streamName("users"), "SkippedRuns"));
                    assertEquals(2L, jmx.getAttribute(Operations.runtimeName(), "SkippedSyncs"));
                    assertEquals(1L, jmx.getAttribute(Operations.runtimeName(), "SyncsStarted"), "only the first sync began");
                    assertEquals(10, leadCount(url), "nothing written while the lock was held elsewhere");
                    assertEquals(runs, runRows(url), "no run recorded");
                }
                // the other node's session has ended, and its lock with it: the next ask syncs
                assertEquals("sync of leads started", jmx.invoke(leads, "syncNow", null, null));
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> (long) jmx.getAttribute(leads, "Runs") == 2);
                assertEquals(15, leadCount(url));
            }
        }
    }

    /** pg_try_advisory_lock on the first 8 bytes of the key's SHA-256, as a long (as every node computes it). */
    private static boolean tryAdvisoryLock(Connection c, String key) throws Exception {
        byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            s.setLong(1, java.nio.ByteBuffer.wrap(h, 0, 8).getLong());
            try (java.sql.ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static long leadCount(String url) throws Exception {
        return ((Number) SyncTestSupport.rows(url, "SELECT count(*) AS n FROM leads").get(0).get("n")).longValue();
    }

    private static long runRows(String url) throws Exception {
        return ((Number) SyncTestSupport.rows(url, "SELECT count(*) AS n FROM _sync_runs").get(0).get("n")).longValue();
    }
}
