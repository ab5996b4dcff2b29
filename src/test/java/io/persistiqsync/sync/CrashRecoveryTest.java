package io.persistiqsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.persistiqsync.ChildJvm;
import io.persistiqsync.SyncTestSupport;
import io.persistiqsync.simulator.SimulatorSettings;

/** A sync killed with SIGKILL in a separate JVM is followed by a sync that resumes and ends exact. */
@Tag("integration")
class CrashRecoveryTest {

    @Test
    void aSyncKilledMidwayIsResumedByTheNextWithExactlyTheRightRows() throws Exception {
        try (SyncTestSupport env = new SyncTestSupport(SimulatorSettings.builder().users(2).leads(4000).campaigns(2)
                .latency(Duration.ofMillis(40)))) {
            env.set("cache.pages-per-commit", "2");
            Path log = env.dir.resolve("child.log");
            Process child = ChildJvm.start(env.settings(), log, "sync", "--streams", "leads");
            // wait until several pages (so several commits) have been asked for, then kill -9
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> env.simulator.requests().count("/v1/leads") >= 12);
            child.destroyForcibly();
            assertTrue(child.waitFor(20, TimeUnit.SECONDS));
            int askedBeforeCrash = env.simulator.requests().count("/v1/leads");
            // the killed run's row counts what it committed: the rows stamped with its id
            long killedRun = env.count("SELECT max(id) FROM _sync_runs WHERE stream = 'leads'");
            long committedByKilled = env.count("SELECT count(*) FROM leads WHERE _sync_id = " + killedRun);
            assertTrue(committedByKilled > 0, "the killed run committed some batches");
            assertEquals(committedByKilled, env.count("SELECT records_new FROM _sync_runs WHERE id = " + killedRun));
            assertTrue(askedBeforeCrash < 40, "killed mid-way, after " + askedBeforeCrash + " of 40 pages");

            env.simulator.setLatency(Duration.ZERO);
            env.simulator.requests().clear();
            SyncReport next = env.sync("leads");

            assertTrue(next.succeeded(), () -> next.results().toString());
            List<String> ids = env.rows("SELECT id FROM leads ORDER BY id").stream().map(r -> (String) r.get("id")).toList();
            assertEquals(new HashSet<>(env.simulator.account().liveLeadIds()), new HashSet<>(ids), "every lead, once");
            assertEquals(4000, ids.size());
            assertEquals(4000, env.count("SELECT count(*) FROM _record_state WHERE stream = 'leads'"));
            assertTrue(env.simulator.requests().count("/v1/leads") < 40, "resumed from the checkpoint, not from page 1");
            assertEquals(1, env.count("SELECT count(*) FROM _sync_runs WHERE stream = 'leads' AND status = 'interrupted'"));
            assertEquals(0, env.count("SELECT count(*) FROM leads WHERE _deleted_at IS NOT NULL"), "the resumed full pass saw every record");
        }
    }
}
