package io.persistiqsync.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheck.Result;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.Test;

import io.persistiqsync.runtime.SyncRuntime;
import io.persistiqsync.SyncTestSupport;
import io.persistiqsync.api.StreamCatalog;
import io.persistiqsync.simulator.Fault;
import io.persistiqsync.simulator.SimulatorSettings;
import io.persistiqsync.sync.SyncReport;
import io.persistiqsync.sync.SyncRequest;

/** Camel's health checks: readiness follows the cache database and the streams' last runs; liveness stays up. */
class HealthChecksTest {

    @Test
    void readinessIsDownWhileTheCacheIsUnreachableAndLivenessStaysUp() throws Exception {
        try (SyncTestSupport env = new SyncTestSupport(SimulatorSettings.builder().users(2).leads(10).campaigns(1))) {
            Path missing = env.dir.resolve("not-yet");
            env.set("cache.url", "jdbc:duckdb:" + missing.resolve("cache.duckdb"));
            try (SyncRuntime runtime = env.start()) {
                CamelContext context = runtime.context();
                Result cache = readiness(context, CacheReadinessCheck.ID);
                assertEquals(HealthCheck.State.DOWN, cache.getState());
                assertTrue(cache.getMessage().orElse("").startsWith("cannot open the cache jdbc:duckdb:"), cache::toString);
                assertFalse(HealthCheckHelper.isResultsUp(HealthCheckHelper.invokeReadiness(context, "full"), true), "readiness as a whole is down");
                assertLivenessUp(context);
                // what an operator sees over JMX: Camel's health MBean
                MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
                ObjectName health = jmx.queryNames(new ObjectName("org.apache.camel:type=health,*"), null).iterator().next();
                assertEquals(false, jmx.getAttribute(health, "HealthyReadiness"));
                assertEquals(true, jmx.getAttribute(health, "HealthyLiveness"));

                Files.createDirectories(missing);
                assertEquals(HealthCheck.State.UP, readiness(context, CacheReadinessCheck.ID).getState(), "up again once it can be opened");
                assertTrue(HealthCheckHelper.isResultsUp(HealthCheckHelper.invokeReadiness(context, "full"), true),
                        () -> HealthCheckHelper.invokeReadiness(context, "full").toString());
                assertEquals(true, jmx.getAttribute(health, "HealthyReadiness"));
            }
        }
    }

    @Test
    void aStreamWhoseLastRunFailedIsDownWithItsReason() throws Exception {
        try (SyncTestSupport env = new SyncTestSupport(SimulatorSettings.builder().users(2).leads(10).campaigns(1));
                SyncRuntime runtime = env.start()) {
            CamelContext context = runtime.context();
            assertEquals(HealthCheck.State.UP, readiness(context, StreamHealthCheck.PREFIX + "users").getState(), "no run yet is no failure");

            env.simulator.faults().inject("/v1/users", Fault.UNAUTHORIZED, 1);
            SyncReport failed = runtime.sync(new SyncRequest(StreamCatalog.select(List.of("users")), false, false));
            assertFalse(failed.result("users").succeeded());

            Result users = readiness(context, StreamHealthCheck.PREFIX + "users");
            assertEquals(HealthCheck.State.DOWN, users.getState());
            String message = users.getMessage().orElse("");
            assertTrue(message.startsWith("users: last run failed: ") && message.contains("401"), message);
            assertFalse(message.contains(SyncTestSupport.KEY), "the refused key is not repeated: " + message);
            assertEquals("failed", users.getDetails().get("last.status"));
            assertEquals(HealthCheck.State.UP, readiness(context, StreamHealthCheck.PREFIX + "leads").getState());
            assertLivenessUp(context);

            assertTrue(runtime.sync(new SyncRequest(StreamCatalog.select(List.of("users")), false, false)).succeeded());
            assertEquals(HealthCheck.State.UP, readiness(context, StreamHealthCheck.PREFIX + "users").getState(), "up after a good run");
        }
    }

    /** A `run` restarted after a failed sync is not healthy until that stream syncs again: the last runs come from _sync_runs. */
    @Test
    void aRestartedRuntimeShowsTheLastRunsTheCacheRecorded() throws Exception {
        try (SyncTestSupport env = new SyncTestSupport(SimulatorSettings.builder().users(2).leads(10).campaigns(1))) {
            env.set("persistiq.max-attempts", "1");
            env.simulator.faults().inject("/v1/leads", Fault.MALFORMED_JSON, 1);
            SyncReport report = env.sync("users", "leads");
            assertTrue(report.result("users").succeeded());
            assertFalse(report.result("leads").succeeded());

            env.set("sync.schedule-enabled", "true").set("sync.cron", "0 0 0 1 1 ? 2099");
            try (SyncRuntime runtime = env.start()) {
                Result leads = readiness(runtime.context(), StreamHealthCheck.PREFIX + "leads");
                assertEquals(HealthCheck.State.DOWN, leads.getState(), leads::toString);
                assertTrue(leads.getMessage().orElse("").startsWith("leads: last run failed: "), leads::toString);
                assertEquals(HealthCheck.State.UP, readiness(runtime.context(), StreamHealthCheck.PREFIX + "users").getState());

                MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
                assertEquals("failed", jmx.getAttribute(Operations.streamName("leads"), "LastStatus"));
                assertEquals("succeeded", jmx.getAttribute(Operations.streamName("users"), "LastStatus"));
                assertEquals(2L, jmx.getAttribute(Operations.streamName("users"), "LastRunNew"));
                assertEquals(0L, jmx.getAttribute(Operations.streamName("users"), "TotalNew"), "this process has synced nothing yet");
                assertEquals("never", jmx.getAttribute(Operations.streamName("campaigns"), "LastStatus"));
            }
        }
    }

    /** One check's readiness result ("full": Camel's default exposure folds results that are all UP into one). */
    private static Result readiness(CamelContext context, String id) {
        Collection<Result> results = HealthCheckHelper.invokeReadiness(context, "full");
        return results.stream().filter(r -> r.getCheck().getId().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError(id + " not among " + results.stream().map(r -> r.getCheck().getId()).toList()));
    }

    private static void assertLivenessUp(CamelContext context) {
        Collection<Result> liveness = HealthCheckHelper.invokeLiveness(context, "full");
        assertFalse(liveness.isEmpty());
        assertTrue(HealthCheckHelper.isResultsUp(liveness, false), liveness::toString);
        assertTrue(liveness.stream().noneMatch(r -> r.getCheck().getId().startsWith("persistiq-")), "our checks are readiness only");
    }
}
