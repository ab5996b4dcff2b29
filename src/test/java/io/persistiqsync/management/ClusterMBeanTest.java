package io.persistiqsync.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Arrays;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.persistiqsync.SyncTestSupport;
import io.persistiqsync.cache.CacheTarget;
import io.persistiqsync.cache.WriterLock;
import io.persistiqsync.runtime.SyncRuntime;
import io.persistiqsync.simulator.SimulatorSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The runtime MBean of a clustered `run`: this node's id and state, and every node Quartz knows; and a
 * JMX sync while another runtime holds the account's writer lock is skipped and counted.
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

                // another runtime holds the account's writer lock: syncAllNow() skips and counts it like an overlap
                WriterLock elsewhere = new WriterLock(CacheTarget.of(postgres.getJdbcUrl("postgres", "postgres")), "default", "node-z");
                try {
                    assertEquals(null, elsewhere.tryAcquire());
                    assertTrue(((String) jmx.invoke(name, "syncAllNow", null, null)).endsWith(" started"));
                    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> (long) jmx.getAttribute(name, "SkippedSyncs") == 1);
                    assertEquals(1L, jmx.getAttribute(Operations.streamName("leads"), "SkippedRuns"));
                    assertEquals(0L, jmx.getAttribute(name, "SyncsStarted"));
                } finally {
                    elsewhere.release();
                }
            }
        }
    }
}
