package io.persistiqsync.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.persistiqsync.ChildJvm;
import io.persistiqsync.SyncTestSupport;
import io.persistiqsync.simulator.SimulatorSettings;
import io.persistiqsync.sync.SyncReport;

/**
 * SIGTERM in the middle of a sync of a separate JVM: the batch in progress commits, the run is
 * recorded as interrupted, the process exits within shutdown.timeout, and the next sync resumes
 * right after the last committed page and ends exact.
 */
@Tag("integration")
class GracefulStopTest {
    static final int LEADS = 2500;
    static final int PAGES = LEADS / 100;
    static final int SHUTDOWN_TIMEOUT = 10;

    @Test
    void sigtermCommitsTheBatchRecordsTheRunInterruptedAndTheNextSyncResumesExactly() throws Exception {
        try (SyncTestSupport env = new SyncTestSupport(SimulatorSettings.builder().users(2).leads(LEADS).campaigns(2)
                .latency(Duration.ofMillis(40)))) {
            env.set("cache.pages-per-commit", "3").set("shutdown.timeout", Integer.toString(SHUTDOWN_TIMEOUT));
            Path log = env.dir.resolve("child.log");
            Process child = ChildJvm.start(env.settings(), log, "sync", "--streams", "leads,campaigns", "--progress", "off");
            // several pages in: some batches committed, one under way (the DuckDB file belongs to the child until it exits)
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> env.simulator.requests().count("/v1/leads") >= 8);
            long signalled = System.nanoTime();
            child.destroy(); // SIGTERM
            assertTrue(child.waitFor(SHUTDOWN_TIMEOUT + 5, TimeUnit.SECONDS), "exited within shutdown.timeout");
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
            String childLog = Files.readString(log);
            int askedBeforeStop = env.simulator.requests().count("/v1/leads");
            assertTrue(askedBeforeStop < PAGES, "stopped mid-way, after " + askedBeforeStop + " of " + PAGES + " pages; " + childLog);
            assertTrue(childLog.contains("interrupted by a shutdown"), childLog);

            Map<String, Object> interrupted = env.rows("SELECT status, error, pages, finished_at FROM _sync_runs WHERE stream = 'leads'").get(0);
            assertEquals("interrupted", interrupted.get("status"), () -> interrupted + " " + childLog);
            assertTrue(((String) interrupted.get("error")).startsWith("stopped by a shutdown after leads page "), interrupted::toString);
            assertTrue(interrupted.get("finished_at") != null, "recorded by the stopping process itself, not guessed later");
            long committedPages = ((Number) interrupted.get("pages")).longValue();
            assertEquals(committedPages, askedBeforeStop, "no page asked for after the stop was left unwritten");
            assertEquals(committedPages * 100, env.count("SELECT count(*) FROM leads"), "the last batch committed with its pages");
            Map<String, Object> notBegun = env.rows("SELECT status, error FROM _sync_runs WHERE stream = 'campaigns'").get(0);
            assertEquals("interrupted", notBegun.get("status"), "a stream the stop came before has its row too");
            assertTrue(((String) notBegun.get("error")).startsWith("not begun: the runtime was stopping"), notBegun::toString);

            env.simulator.setLatency(Duration.ZERO);
            env.simulator.requests().clear();
            SyncReport next = env.sync("leads");

            assertTrue(next.succeeded(), () -> next.results().toString());
            List<String> ids = env.rows("SELECT id FROM leads").stream().map(r -> (String) r.get("id")).toList();
            assertEquals(LEADS, ids.size());
            assertEquals(new HashSet<>(env.simulator.account().liveLeadIds()), new HashSet<>(ids), "every lead, once");
            assertEquals(PAGES - committedPages, env.simulator.requests().count("/v1/leads"), "resumed right after the last committed page");
            assertEquals(0, env.count("SELECT count(*) FROM leads WHERE _deleted_at IS NOT NULL"), "the resumed full pass saw every record");
            assertEquals(1, env.count("SELECT count(*) FROM _sync_runs WHERE stream = 'leads' AND status = 'interrupted'"));
            assertEquals(1, env.count("SELECT count(*) FROM _sync_runs WHERE stream = 'leads' AND status = 'succeeded'"));
            System.out.println("SIGTERM to exit: " + tookMillis + " ms");
        }
    }
}
