package io.persistiqsync.management;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import javax.management.MBeanServer;

import org.junit.jupiter.api.Test;

import io.persistiqsync.runtime.SyncRuntime;
import io.persistiqsync.SyncTestSupport;
import io.persistiqsync.simulator.SimulatorSettings;

/**
 * A scheduled fire (or a JMX syncAllNow) while a sync still runs is skipped and counted; two syncs
 * never run at once.
 */
class OverlapGuardTest {

    @Test
    void firesDuringARunningSyncAreSkippedAndCounted() throws Exception {
        try (SyncTestSupport env = new SyncTestSupport(SimulatorSettings.builder().users(2).leads(1500).campaigns(1)
                .latency(Duration.ofMillis(150)))) {
            env.set("sync.schedule-enabled", "true").set("sync.cron", "0/1 * * * * ?").set("persistiq.streams", "leads");
            MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
            try (SyncRuntime runtime = env.start()) {
                // the first fire starts a sync of 15 slow pages; the fires of the next seconds find it running
                await().atMost(Duration.ofSeconds(30)).until(() -> (Boolean) jmx.getAttribute(Operations.runtimeName(), "SyncRunning"));
                await().atMost(Duration.ofSeconds(30)).until(() -> skipped(jmx) >= 2);
                long before = skipped(jmx);
                assertEquals("skipped: a sync of account default is running; counted in SkippedSyncs and SkippedRuns",
                        jmx.invoke(Operations.runtimeName(), "syncAllNow", new Object[0], new String[0]));
                assertTrue(skipped(jmx) > before, "counted by the time the answer comes");
                assertTrue(((Number) jmx.getAttribute(Operations.streamName("leads"), "SkippedRuns")).longValue() >= 3);
                assertEquals(true, jmx.getAttribute(Operations.runtimeName(), "ScheduleEnabled"));
                assertTrue(!((String) jmx.getAttribute(Operations.runtimeName(), "NextFireTime")).isEmpty());

                env.simulator.setLatency(Duration.ZERO);
                await().atMost(Duration.ofSeconds(60)).until(() -> ((Number) jmx.getAttribute(Operations.streamName("leads"), "Runs")).longValue() >= 2);
            }
            List<Map<String, Object>> runs = env.rows("SELECT id, status, started_at, finished_at FROM _sync_runs WHERE stream = 'leads' ORDER BY id");
            assertTrue(runs.size() >= 2, runs::toString);
            for (int i = 0; i < runs.size(); i++) {
                assertTrue(runs.get(i).get("finished_at") != null, () -> "every run finished: " + runs);
                if (i > 0) {
                    OffsetDateTime previousEnd = (OffsetDateTime) runs.get(i - 1).get("finished_at");
                    OffsetDateTime start = (OffsetDateTime) runs.get(i).get("started_at");
                    assertTrue(!start.isBefore(previousEnd), () -> "runs one after another, never overlapping: " + runs);
                }
            }
            assertEquals(1500, env.count("SELECT count(*) FROM leads"));
        }
    }

    private static long skipped(MBeanServer jmx) throws Exception {
        return ((Number) jmx.getAttribute(Operations.runtimeName(), "SkippedSyncs")).longValue();
    }
}
