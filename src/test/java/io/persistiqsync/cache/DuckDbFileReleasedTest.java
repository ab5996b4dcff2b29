package io.persistiqsync.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.quartz.QuartzComponent;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.impl.matchers.GroupMatcher;

import io.persistiqsync.runtime.SyncRuntime;
import io.persistiqsync.SyncTestSupport;
import io.persistiqsync.simulator.SimulatorSettings;
import io.persistiqsync.api.StreamCatalog;
import io.persistiqsync.sync.SyncReport;
import io.persistiqsync.sync.SyncRequest;
import io.persistiqsync.sync.SyncSession;

/**
 * A DuckDB file can be open read-write by one process only, so the runtime holds it only while a sync
 * writes: with the scheduled runtime up and idle between syncs, another JVM opens the file read-write.
 */
@Tag("integration")
class DuckDbFileReleasedTest {

    @Test
    void anotherProcessOpensTheFileWhileTheScheduledRuntimeIdles() throws Exception {
        try (SyncTestSupport env = new SyncTestSupport(SimulatorSettings.builder().users(1).leads(30).campaigns(1))) {
            // run's setup: the Quartz schedule on; its cron is far away, the test fires the job itself
            env.set("sync.schedule-enabled", "true").set("sync.cron", "0 0 0 1 1 ? 2099").set("persistiq.streams", "users,leads");
            Path file = Path.of(env.cacheUrl.substring("jdbc:duckdb:".length()));
            try (SyncRuntime runtime = env.start()) {
                fireScheduleAndWait(runtime);
                // nothing in this JVM touches the file between the sync and the other process
                Process child = javaProcess(OpenDuckDbFile.class, env.dir.resolve("child.log"), file.toString());
                assertTrue(child.waitFor(90, TimeUnit.SECONDS), "the other process finished");
                String output = Files.readString(env.dir.resolve("child.log"));
                assertEquals(0, child.exitValue(), output);
                assertTrue(output.contains("leads=30"), output);
                assertTrue(runtime.context().getRouteController().getRouteStatus("sync-schedule").isStarted(), "the schedule is still on");

                // and once that process is gone, the next scheduled sync takes the file again
                env.simulator.account().editLeads(2);
                fireScheduleAndWait(runtime);
                assertEquals(30, env.count("SELECT count(*) FROM leads"));
                assertEquals(1, env.count("SELECT count(*) FROM analyst_notes"), "the other process's own table is left alone");
                assertEquals(2, env.count("SELECT count(*) FROM _sync_runs WHERE stream = 'leads' AND status = 'succeeded'"));
            }
        }
    }

    /** A sync that finds the file held by another process (here a reader) waits for it (cache.lock-wait) instead of failing. */
    @Test
    void aSyncWaitsWhileAnotherProcessHoldsTheFile() throws Exception {
        try (SyncTestSupport env = new SyncTestSupport(SimulatorSettings.builder().users(1).leads(30).campaigns(1))) {
            assertTrue(env.sync("users").succeeded());
            Path file = Path.of(env.cacheUrl.substring("jdbc:duckdb:".length()));
            Path release = env.dir.resolve("release");
            Path log = env.dir.resolve("holder.log");
            Process holder = javaProcess(HoldDuckDbFile.class, log, file.toString(), release.toString());
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(log) && Files.readString(log).contains("held"));
            try (SyncRuntime runtime = env.start()) {
                SyncSession session = runtime.context().getRegistry().lookupByNameAndType("syncSession", SyncSession.class);
                CompletableFuture<SyncReport> sync = CompletableFuture.supplyAsync(
                        () -> runtime.sync(new SyncRequest(StreamCatalog.select(List.of("leads")), false, false)));
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> session.cacheWaits() > 0);
                assertTrue(!sync.isDone(), "the sync waits while the file is held");

                Files.createFile(release);
                SyncReport report = sync.get(90, TimeUnit.SECONDS);
                assertTrue(report.succeeded(), () -> report.results().toString());
                assertTrue(holder.waitFor(60, TimeUnit.SECONDS));
                assertEquals(0, holder.exitValue(), Files.readString(log));
            }
            assertEquals(30, env.count("SELECT count(*) FROM leads"));
        }
    }

    /**
     * Fires the sync-schedule route's Quartz job now (as its cron would) and waits for that sync to end:
     * the first exchange done on its behalf shows it started (the split's exchanges count too), the
     * session's lock let go shows it ended.
     */
    private static void fireScheduleAndWait(SyncRuntime runtime) throws Exception {
        SyncSession session = runtime.context().getRegistry().lookupByNameAndType("syncSession", SyncSession.class);
        NotifyBuilder started = new NotifyBuilder(runtime.context()).fromRoute("sync-schedule").whenDone(1).create();
        Scheduler scheduler = runtime.context().getComponent("quartz", QuartzComponent.class).getScheduler();
        Set<JobKey> jobs = scheduler.getJobKeys(GroupMatcher.anyJobGroup());
        assertEquals(1, jobs.size(), jobs::toString);
        scheduler.triggerJob(jobs.iterator().next());
        assertTrue(started.matches(60, TimeUnit.SECONDS), "the scheduled sync ran");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !session.running());
    }

    /** The same JVM and class path as this test, running another main class. */
    private static Process javaProcess(Class<?> main, Path log, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "-cp",
                System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
