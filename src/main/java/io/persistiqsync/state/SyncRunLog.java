package io.persistiqsync.state;

import java.sql.SQLException;
import java.time.Instant;

import io.persistiqsync.api.FieldType;
import io.persistiqsync.cache.CacheStore;

/**
 * {@code _sync_runs}: one row per stream per sync, written when the run starts (status running) and
 * completed when it ends. A run left "running" by a process that died is marked interrupted by the
 * next sync of that stream.
 */
public final class SyncRunLog {
    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String INTERRUPTED = "interrupted";

    private SyncRunLog() {
    }

    /** Opens a run and commits it, so that it is visible while the run goes on. */
    public static long start(CacheStore store, String stream, String mode, Instant startedAt) throws SQLException {
        long id = store.query("SELECT COALESCE(MAX(id), 0) + 1 FROM " + store.table("_sync_runs"), rs -> rs.getLong(1)).get(0);
        store.update("INSERT INTO " + store.table("_sync_runs") + " (id, stream, mode, started_at, status, records_new, records_changed,"
                + " records_unchanged, records_deleted, records_rejected, pages, requests) VALUES (?, ?, ?, "
                + store.dialect().cast("?", FieldType.TIMESTAMP) + ", ?, 0, 0, 0, 0, 0, 0, 0)",
                id, stream, mode, CacheStore.timestamp(startedAt), RUNNING);
        store.commit();
        return id;
    }

    /** Marks runs of this stream still "running" as interrupted (their process is gone). */
    public static int markInterrupted(CacheStore store, String stream) throws SQLException {
        int n = store.update("UPDATE " + store.table("_sync_runs") + " SET status = ?, error = ? WHERE stream = ? AND status = ?",
                INTERRUPTED, "the process stopped before the run finished", stream, RUNNING);
        store.commit();
        return n;
    }

    /** Records the outcome; joins the caller's transaction. */
    public static void finish(CacheStore store, long id, String status, RunCounts counts, String error, Instant finishedAt)
            throws SQLException {
        store.update("UPDATE " + store.table("_sync_runs") + " SET status = ?, finished_at = " + store.dialect().cast("?", FieldType.TIMESTAMP)
                + ", records_new = ?, records_changed = ?, records_unchanged = ?, records_deleted = ?, records_rejected = ?,"
                + " pages = ?, requests = ?, error = ? WHERE id = ?",
                status, CacheStore.timestamp(finishedAt), counts.created(), counts.changed(), counts.unchanged(), counts.deleted(),
                counts.rejected(), counts.pages(), counts.requests(), error, id);
    }

    /** The counts of one run. */
    public record RunCounts(long created, long changed, long unchanged, long deleted, long rejected, long pages, long requests) {
    }
}
