package io.persistiqsync.sync;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.persistiqsync.api.ApiException;
import io.persistiqsync.api.ApiRefusedException;
import io.persistiqsync.api.PageAhead;
import io.persistiqsync.api.StreamDefinition;
import io.persistiqsync.cache.CacheFaults;
import io.persistiqsync.cache.CacheStore;
import io.persistiqsync.config.SyncSettings;
import io.persistiqsync.routes.RouteNames;
import io.persistiqsync.state.RunCounts;
import io.persistiqsync.state.StreamStateStore;
import io.persistiqsync.state.SyncRunLog;

/**
 * The record stage: how a stream's run ends, in _sync_runs, the sync's report and the observers
 * (JMX, progress). Succeeded (the pass closes), interrupted by a stop, not begun because of one, or
 * failed with a one-line reason and the counts it had committed.
 */
public class RunRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(RunRecorder.class);

    private final PageAhead pageAhead;

    public RunRecorder(PageAhead pageAhead) {
        this.pageAhead = pageAhead;
    }

    /** The stream read everything it set out to (its deletes marked after a full pass): the pass closes and the run succeeded. */
    public StreamResult finish(@ExchangeProperty(RouteNames.STREAM_RUN) StreamRun run) throws SQLException {
        CacheStore db = run.store();
        run.state(run.state().closePass(run.isFullPass()));
        StreamStateStore.save(db, run.state());
        String note = run.gonePartitions().isEmpty() ? null : "gone mid-sync: " + String.join(", ", run.gonePartitions());
        SyncRunLog.finish(db, run.runId(), SyncRunLog.SUCCEEDED, run.counts(), note, Instant.now());
        db.commit();
        return report(run, SyncRunLog.SUCCEEDED, note, run.counts());
    }

    /** A stop ended the run at a page boundary: what it read is committed; the pass stays open, so the next sync resumes it. */
    public StreamResult interrupted(@ExchangeProperty(RouteNames.STREAM_RUN) StreamRun run) throws SQLException {
        String note = "stopped by a shutdown after " + run.position() + "; the next sync resumes there";
        SyncRunLog.finish(run.store(), run.runId(), SyncRunLog.INTERRUPTED, run.counts(), note, Instant.now());
        run.store().commit();
        LOG.warn("{}: interrupted by a shutdown; committed up to {}", run.getStreamName(), run.position());
        return report(run, SyncRunLog.INTERRUPTED, note, run.counts());
    }

    /** A stop (SIGTERM) came before this stream's turn: it is not begun, and its run says so. */
    public void skippedByStop(@Body StreamDefinition stream, @ExchangeProperty(RouteNames.SESSION) SyncSession session) {
        String reason = "not begun: the runtime was stopping (SIGTERM); the next sync covers it";
        session.record(db -> SyncRunLog.notBegun(db, stream.name(), reason, Instant.now(), session.node()));
        notRun(session, stream, SyncRunLog.INTERRUPTED, reason);
    }

    /**
     * The stream failed: nothing uncommitted stays, and the run is recorded as failed with a one-line
     * reason and the counts it had committed. A rollback that fails too (the connection is gone) never
     * hides the first failure, and the record goes over a fresh connection when the run's own is lost.
     */
    public void fail(Exchange exchange, @ExchangeProperty(RouteNames.SESSION) SyncSession session) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        StreamRun run = exchange.getProperty(RouteNames.STREAM_RUN, StreamRun.class);
        StreamDefinition stream = exchange.getMessage().getBody(StreamDefinition.class);
        if (e instanceof ApiRefusedException) session.keyRefused(true);
        if (run != null) {
            pageAhead.forget(run.session().account().name(), run.getPosition());
            run.clearBatch();
        }
        session.rollbackQuietly(e);
        String where = run != null ? run.position() : stream != null ? stream.name() : "sync";
        String reason = where + ": " + describe(e, run, session.settings());
        LOG.error("{} failed: {}", where, reason.substring(where.length() + 2));
        if (run != null) {
            StreamRun failed = run;
            RunCounts counts = run.committedCounts();
            session.record(db -> SyncRunLog.finish(db, failed.runId(), SyncRunLog.FAILED, counts, reason, Instant.now()));
            report(run, SyncRunLog.FAILED, reason, counts);
        } else if (stream != null) {
            notRun(session, stream, SyncRunLog.FAILED, reason);
        }
    }

    /** One line, no secret: the API's own exceptions are already written that way; database failures say what to do. */
    static String describe(Throwable e, StreamRun run, SyncSettings settings) {
        if (e == null) return "unknown failure";
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ApiException) return t.getMessage();
        }
        CacheFaults.Kind kind = CacheFaults.classify(e);
        if (kind == CacheFaults.Kind.OTHER) return settings.secrets().redact(CacheFaults.describe(e, null));
        String text = CacheFaults.describe(e, CacheFaults.place(settings.cacheUrl()));
        if (run != null && kind == CacheFaults.Kind.CONNECTION_LOST) {
            text += "; gave up after cache.max-attempts (" + settings.cacheMaxAttempts() + "): the next sync resumes after the last committed page";
        } else if (run != null) {
            text += "; the sync stopped" + (run.committedPage() > 0 ? " after page " + run.committedPage() + " was committed" : "");
        }
        return settings.secrets().redact(text);
    }

    private static void notRun(SyncSession session, StreamDefinition stream, String status, String reason) {
        StreamResult result = new StreamResult(stream.name(), null, status, RunCounts.ZERO, 0, reason);
        session.report().add(result);
        session.observer().runFinished(result);
    }

    private static StreamResult report(StreamRun run, String status, String error, RunCounts counts) {
        StreamResult result = new StreamResult(run.getStreamName(), run.mode(), status, counts,
                Duration.between(run.startedAt(), Instant.now()).toMillis() / 1000.0, error);
        run.session().report().add(result);
        run.session().observer().runFinished(result);
        return result;
    }
}
