package io.persistiqsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.persistiqsync.api.StreamCatalog;
import io.persistiqsync.api.StreamDefinition;
import io.persistiqsync.state.StreamState;

/** The mode a run takes and the partitions it reads, decided without an exchange or a database. */
class RunPlannerTest {
    private static final StreamDefinition LEADS = StreamCatalog.find("leads").orElseThrow();
    private static final StreamDefinition USERS = StreamCatalog.find("users").orElseThrow();
    private static final Instant NOW = Instant.parse("2026-12-02T08:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);
    private static final SyncRequest PLAIN = new SyncRequest(List.of(LEADS), false, false);
    private static final SyncRequest FULL_PASS = new SyncRequest(List.of(LEADS), true, false);
    private static final SyncRequest FULL_REFRESH = new SyncRequest(List.of(LEADS), false, true);

    /** a stream synced before: a watermark, and a full pass {@code ago} */
    private static StreamState synced(Duration ago) {
        long at = NOW.minus(ago).toEpochMilli();
        return new StreamState("leads", at, at, null, null, null, null, null, 0);
    }

    private static RunPlanner.Plan plan(StreamDefinition stream, StreamState state, SyncRequest request) {
        return RunPlanner.plan(stream, state, request, NOW, DAY);
    }

    @Test
    void incrementalOnceAFullPassIsRecent() {
        assertEquals(new RunPlanner.Plan(StreamRun.INCREMENTAL, false), plan(LEADS, synced(Duration.ofHours(2)), PLAIN));
    }

    @Test
    void aFullPassWhenDueAskedForNeverMadeOrTheStreamCannotFilter() {
        assertEquals(StreamRun.FULL_PASS, plan(LEADS, synced(DAY), PLAIN).mode(), "sync.full-pass-interval elapsed");
        assertEquals(StreamRun.FULL_PASS, plan(LEADS, synced(Duration.ofHours(2)), FULL_PASS).mode());
        assertEquals(StreamRun.FULL_PASS, plan(LEADS, StreamState.empty("leads"), PLAIN).mode(), "a first sync");
        assertEquals(StreamRun.FULL_PASS, plan(USERS, synced(Duration.ofHours(2)), PLAIN).mode(), "users has no incremental filter");
        assertEquals(StreamRun.FULL_REFRESH, plan(LEADS, synced(Duration.ofHours(2)), FULL_REFRESH).mode());
    }

    @Test
    void anOpenPassIsResumedUnlessAFullPassIsAskedOfAnIncrementalOne() {
        StreamState openFull = synced(DAY).openPass(7, StreamRun.FULL_PASS, NOW.toEpochMilli(), null).checkpoint(null, 3);
        StreamState openIncremental = synced(Duration.ofHours(2)).openPass(8, StreamRun.INCREMENTAL, NOW.toEpochMilli(), "x");
        assertEquals(new RunPlanner.Plan(StreamRun.FULL_PASS, true), plan(LEADS, openFull, PLAIN));
        assertEquals(new RunPlanner.Plan(StreamRun.FULL_PASS, true), plan(LEADS, openFull, FULL_PASS));
        assertEquals(new RunPlanner.Plan(StreamRun.INCREMENTAL, true), plan(LEADS, openIncremental, PLAIN));
        assertEquals(new RunPlanner.Plan(StreamRun.FULL_PASS, false), plan(LEADS, openIncremental, FULL_PASS),
                "resuming an incremental pass would leave records gone from the API live");
    }

    @Test
    void aResumedPassStartsAtItsCheckpointsPartition() {
        List<String> campaigns = List.of("c_1", "c_2", "c_3");
        StreamState stopped = StreamState.empty("campaign_leads").openPass(1, StreamRun.FULL_PASS, 0, null).checkpoint("c_2", 4);
        assertEquals(List.of("c_2", "c_3"), RunPlanner.partitions(campaigns, stopped, true));
        assertEquals(campaigns, RunPlanner.partitions(campaigns, stopped, false));
        assertEquals(campaigns, RunPlanner.partitions(campaigns, StreamState.empty("campaign_leads"), true));
    }
}
