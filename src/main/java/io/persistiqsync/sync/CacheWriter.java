package io.persistiqsync.sync;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

import io.persistiqsync.cache.CacheRecord;
import io.persistiqsync.cache.CacheStore;
import io.persistiqsync.routes.RouteNames;
import io.persistiqsync.state.RecordStateRepository;
import io.persistiqsync.state.StreamStateStore;

/**
 * Writes batches: new and changed rows, the record state, rejected records and the checkpoint (the
 * page reached) commit in one transaction every {@code cache.pages-per-commit} pages and at the end of
 * each partition. A crash loses at most the uncommitted pages, which the next sync reads again.
 */
public class CacheWriter {
    private final SyncSession session;
    private final RecordStateRepository recordState;
    private final int pagesPerCommit;

    /** records never stored before (plain inserts), and changed ones (upserts) */
    private final Map<String, CacheRecord> created = new LinkedHashMap<>();
    private final Map<String, CacheRecord> rows = new LinkedHashMap<>();
    /** hashes of changed records and, in a full pass, of unchanged ones (seen by the pass) */
    private final Map<String, String> seen = new LinkedHashMap<>();
    private final List<CacheRecord> rejected = new ArrayList<>();
    private int pages;

    public CacheWriter(SyncSession session, RecordStateRepository recordState, int pagesPerCommit) {
        this.session = session;
        this.recordState = recordState;
        this.pagesPerCommit = pagesPerCommit;
    }

    /** Takes one page's batch (an empty page has none: the body is then still the page). */
    public void write(@Body Object body, @ExchangeProperty(RouteNames.STREAM_RUN) StreamRun run) throws SQLException {
        if (body instanceof RecordBatch batch) {
            for (RecordBatch.Entry e : batch.entries()) {
                CacheRecord r = e.record();
                if (!r.isAccepted()) {
                    rejected.add(r);
                    run.rejected++;
                } else if (e.unchanged()) {
                    run.unchanged++;
                    // (a new record shown twice already has its state row, inserted with it)
                    if (run.fullPass() && !created.containsKey(r.id())) seen.put(r.id(), r.hash());
                } else if (created.containsKey(r.id())) {
                    // shown twice in one batch with different content: still one new record
                    run.changed++;
                    created.put(r.id(), r);
                } else if (recordState.isNew(r.id())) {
                    run.created++;
                    created.put(r.id(), r);
                } else {
                    run.changed++;
                    rows.put(r.id(), r);
                    seen.put(r.id(), r.hash());
                }
            }
        }
        if (++pages >= pagesPerCommit) commit(run);
        session.observer().pageWritten(run);
    }

    /**
     * Records a full pass missed although the API still has them (see {@link StreamSync#finish}): stored
     * as seen by the pass, written only where they changed. The stored hashes were prefetched.
     */
    public void writeFound(StreamRun run, List<CacheRecord> found) throws SQLException {
        for (CacheRecord r : found) {
            if (recordState.contains(r.stateKey())) {
                run.unchanged++;
            } else {
                run.changed++;
                rows.put(r.id(), r);
            }
            seen.put(r.id(), r.hash());
        }
        commit(run);
    }

    /** Commits what is pending with the checkpoint of the page reached. */
    public void commit(@ExchangeProperty(RouteNames.STREAM_RUN) StreamRun run) throws SQLException {
        CacheStore db = session.store();
        try {
            db.applyColumnChanges(run.stream(), run.columns());
            Instant now = Instant.now();
            db.upsertRecords(run.stream(), run.columns(), created.values(), run.runId(), now, true);
            db.upsertRecords(run.stream(), run.columns(), rows.values(), run.runId(), now, false);
            Map<String, String> createdHashes = new LinkedHashMap<>();
            created.forEach((id, r) -> createdHashes.put(id, r.hash()));
            recordState.write(run.stream().name(), createdHashes, run.state().passId(), true);
            recordState.write(run.stream().name(), seen, run.state().passId(), false);
            db.reject(rejected, run.runId(), now);
            run.state(run.state().checkpoint(run.getPartition(), run.page()));
            StreamStateStore.save(db, run.state());
            db.commit();
            run.committed();
        } finally {
            clear();
        }
    }

    /** Drops what is pending (the run failed): the database rolls it back. */
    public void discard() {
        clear();
    }

    private void clear() {
        created.clear();
        rows.clear();
        seen.clear();
        rejected.clear();
        pages = 0;
        recordState.batchEnded();
    }
}
