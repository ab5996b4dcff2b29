package io.persistiqsync.sync;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.persistiqsync.cache.CacheStore;
import io.persistiqsync.routes.RouteNames;
import io.persistiqsync.state.RecordStateRepository;

/**
 * The delete check after a complete full pass (confirm-deletes in sync-stream.camel.yaml). Records the
 * pass did not see are gone, or were missed: pages are numbered, so a record deleted on a page already
 * read moves the next one back onto that page, and the pass never sees it. Where the API answers single
 * records, each missing one is asked for (up to sync.delete-check-max of them, a request each, through
 * direct:lookup-record): those it still has are stored as seen, and only the rest are marked deleted.
 */
public class DeleteCheck {
    private static final Logger LOG = LoggerFactory.getLogger(DeleteCheck.class);

    private final RecordStateRepository recordState;

    public DeleteCheck(RecordStateRepository recordState) {
        this.recordState = recordState;
    }

    /**
     * The ids to ask the API about, their stored hashes read for the state check: none where the stream
     * has no single-record endpoint, the check is off, or more are missing than sync.delete-check-max.
     */
    public List<String> missing(@ExchangeProperty(RouteNames.STREAM_RUN) StreamRun run) throws SQLException {
        int max = run.session().settings().deleteCheckMax();
        if (!run.stream().recordLookup() || max == 0) return List.of();
        String name = run.getStreamName();
        List<String> missing = recordState.unseenIds(run.store(), name, run.state().passId(), max);
        if (missing == null) {
            LOG.info("{}: more than sync.delete-check-max ({}) records missing from the pass: marked deleted without asking for each", name, max);
            return List.of();
        }
        if (!missing.isEmpty()) recordState.prefetch(run.store(), run.recordStates(), missing);
        return missing;
    }

    /** The records the pass did not see, and the API did not answer, get _deleted_at (committed with the run's record). */
    public void markDeleted(@ExchangeProperty(RouteNames.STREAM_RUN) StreamRun run) throws SQLException {
        run.deleted(recordState.markUnseenDeleted(run.store(), run.getStreamName(), run.state().passId(), run.runId(),
                CacheStore.timestamp(Instant.now())));
    }
}
