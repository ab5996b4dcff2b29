package io.persistiqsync;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.persistiqsync.runtime.SyncRuntime;
import io.persistiqsync.simulator.SimulatorSettings;
import io.persistiqsync.sync.SyncSession;

/** `run`: Quartz fires syncs on sync.cron, and Camel's MBeans are registered for JMX. */
@Tag("integration")
class ScheduledRunTest {

    @Test
    void theScheduleFiresSyncsAndCamelsMBeansAreRegistered() throws Exception {
        try (SyncTestSupport env = new SyncTestSupport(SimulatorSettings.builder().users(2).leads(150).campaigns(2))) {
            env.set("sync.schedule-enabled", "true").set("sync.cron", "0/1 * * * * ?");
            try (SyncRuntime runtime = env.start()) {
                SyncSession session = runtime.context().getRegistry().lookupByNameAndType("syncSession", SyncSession.class);
                // two fires: the first syncs everything, the second finds nothing new
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> env.simulator.requests().count("/v1/leads") >= 3);
                Awaitility.await().atMost(Duration.ofSeconds(30))
                        .until(() -> session.report() != null && !session.running() && session.report().succeeded());

                MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
                assertFalse(jmx.queryNames(new ObjectName("org.apache.camel:type=context,*"), null).isEmpty());
                assertFalse(jmx.queryNames(new ObjectName("org.apache.camel:type=routes,name=\"sync-schedule\",*"), null).isEmpty());
                assertFalse(jmx.queryNames(new ObjectName("org.apache.camel:type=routes,name=\"sync-stream\",*"), null).isEmpty());
            }
            assertTrue(env.count("SELECT count(*) FROM _sync_runs WHERE stream = 'leads' AND status = 'succeeded'") >= 1);
            assertTrue(env.count("SELECT count(*) FROM leads") == 150);
        }
    }
}
