package io.persistiqsync.sync;

import java.sql.SQLException;
import java.time.Instant;

import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.persistiqsync.cache.CacheRecord;
import io.persistiqsync.cache.CacheStore;
import io.persistiqsync.routes.RouteNames;
import io.persistiqsync.state.RecordStateRepository;
import io.persistiqsync.state.StreamStateStore;
import io.persistiqsync.state.SyncRunLog;

/**
 * The write stage: new and changed rows, the record state, rejected records, the checkpoint (the
 * page reached) and the run's counts so far commit in one transaction every {@code cache.pages-per-commit} pages and at the end of
 * each partition. A crash loses at most the uncommitted pages, which the next sync reads again. The
 * batch waiting for its commit is the run's ({@link StreamRun}); this bean holds nothing between calls.
 */
public class CacheWriter {
    private static final Logger LOG = LoggerFactory.getLogger(CacheWriter.class);

    private final RecordStateRepository recordState;

    public CacheWriter(RecordStateRepository recordState) {
        this.recordState = recordState;
    }

    /** Takes one page's batch (an empty page has none: the body is then still the page); commits every pages-per-commit pages. */
    public void write(@Body Object body, @ExchangeProperty(RouteNames.STREAM_RUN) StreamRun run) throws SQLException {
        stage(body, run);
        if (run.pageStaged() >= run.session().settings().pagesPerCommit()) commit(run);
        run.session().observer().pageWritten(run);
    }

    /**
     * The records a full pass missed although the API still has them (confirm-deletes): stored as seen
     * by the pass, written only where they changed, and committed. A record the lookup answers but that
     * is refused stays missing, as one the API no longer has.
     */
    public void writeFound(@Body Object body, @ExchangeProperty(RouteNames.STREAM_RUN) StreamRun run) throws SQLException {
        if (body instanceof RecordBatch batch) {
            batch.entries().removeIf(e -> !e.record().isAccepted());
            if (batch.size() > 0) {
                LOG.info("{}: {} records missing from the pass are still there (moved between pages)", run.getStreamName(), batch.size());
            }
        }
        stage(body, run);
        commit(run);
    }

    private static void stage(Object body, StreamRun run) {
        if (body instanceof RecordBatch batch) {
            for (RecordBatch.Entry e : batch.entries()) run.stage(e.record(), e.unchanged());
        }
    }

    /** Commits what is pending with the checkpoint of the page reached. */
    public void commit(@ExchangeProperty(RouteNames.STREAM_RUN) StreamRun run) throws SQLException {
        CacheStore db = run.store();
        StreamRun.Batch batch = run.batch();
        try {
            db.applyColumnChanges(run.stream(), run.columns());
            Instant now = Instant.now();
            db.upsertRecords(run.stream(), run.columns(), batch.createdRecords(), run.runId(), now, true);
            db.upsertRecords(run.stream(), run.columns(), batch.rows.values(), run.runId(), now, false);
            recordState.write(db, run.recordStates(), batch.createdHashes(), run.state().passId(), true);
            recordState.write(db, run.recordStates(), batch.seen, run.state().passId(), false);
            db.reject(batch.rejected, run.runId(), now);
            var checkpointed = run.state().checkpoint(run.getPartition(), run.page());
            StreamStateStore.save(db, checkpointed);
            SyncRunLog.progress(db, run.runId(), run.counts());
            db.commit();
            run.committed(checkpointed);
        } finally {
            run.clearBatch();
        }
    }
}
