package io.persistiqsync.state;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import io.persistiqsync.api.FieldType;
import io.persistiqsync.cache.CacheStore;

/**
 * {@code _sync_runs}: one row per stream per sync, written when the run starts (status running) and
 * completed when it ends, with the node (sync.cluster.node-id) that ran it. A run left "running" by a
 * process that died is marked interrupted, naming that node, by the next sync of that stream.
 */
public final class SyncRunLog {
    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String INTERRUPTED = "interrupted";

    private SyncRunLog() {
    }

    /** Opens a run and commits it, so that it is visible while the run goes on. */
    public static long start(CacheStore store, String stream, String mode, Instant startedAt, String node) throws SQLException {
        long id = store.query("SELECT COALESCE(MAX(id), 0) + 1 FROM " + store.table("_sync_runs"), rs -> rs.getLong(1)).get(0);
        store.update("INSERT INTO " + store.table("_sync_runs") + " (id, stream, mode, started_at, status, records_new, records_changed,"
                + " records_unchanged, records_deleted, records_rejected, pages, requests, node) VALUES (?, ?, ?, "
                + store.dialect().cast("?", FieldType.TIMESTAMP) + ", ?, 0, 0, 0, 0, 0, 0, 0, ?)",
                id, stream, mode, CacheStore.timestamp(startedAt), RUNNING, node);
        store.commit();
        return id;
    }

    /** A run that never began: the runtime was stopping when its turn came. Recorded, so the history has every stream asked for. */
    public static void notBegun(CacheStore store, String stream, String reason, Instant at, String node) throws SQLException {
        long id = start(store, stream, null, at, node);
        finish(store, id, INTERRUPTED, RunCounts.ZERO, reason, at);
        store.commit();
    }

    /**
     * Marks runs of this stream still "running" as interrupted: their process is gone (the caller holds
     * the account's writer lock, or the DuckDB file, so no live process writes them). The reason names
     * the node that ran them.
     */
    public static int markInterrupted(CacheStore store, String stream) throws SQLException {
        List<Object[]> left = store.query("SELECT id, node FROM " + store.table("_sync_runs") + " WHERE stream = ? AND status = ?",
                rs -> new Object[] {rs.getLong(1), rs.getString(2)}, stream, RUNNING);
        for (Object[] run : left) {
            String who = run[1] == null || ((String) run[1]).isEmpty() ? "the process" : "the process on node " + run[1];
            store.update("UPDATE " + store.table("_sync_runs") + " SET status = ?, error = ? WHERE id = ?", INTERRUPTED,
                    who + " stopped before the run finished (it died, or lost the cache); the next sync went on from its last commit", run[0]);
        }
        store.commit();
        return left.size();
    }

    /**
     * The counts of a run still going, written with each batch in its transaction: a run whose process
     * dies keeps the counts of what it committed (the row is then marked interrupted), not zeros.
     */
    public static void progress(CacheStore store, long id, RunCounts counts) throws SQLException {
        store.update("UPDATE " + store.table("_sync_runs") + " SET records_new = ?, records_changed = ?, records_unchanged = ?,"
                + " records_deleted = ?, records_rejected = ?, pages = ?, requests = ? WHERE id = ?",
                counts.created(), counts.changed(), counts.unchanged(), counts.deleted(), counts.rejected(), counts.pages(), counts.requests(), id);
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

    /** One row of _sync_runs. */
    public record Run(long id, String stream, String mode, Instant startedAt, Instant finishedAt, String status, RunCounts counts, String error,
            String node) {

        public Double seconds() {
            return startedAt == null || finishedAt == null ? null : Duration.between(startedAt, finishedAt).toMillis() / 1000.0;
        }
    }

    /** The last {@code n} runs of a stream, newest first. */
    public static List<Run> lastRuns(CacheStore db, String stream, int n) throws SQLException {
        String sql = "SELECT id, stream, mode, started_at, finished_at, status, records_new, records_changed, records_unchanged,"
                + " records_deleted, records_rejected, pages, requests, error, node FROM " + db.table("_sync_runs") + " WHERE stream = ? ORDER BY id DESC";
        List<Run> out = new ArrayList<>();
        try (PreparedStatement s = db.connection().prepareStatement(sql)) {
            s.setMaxRows(n);
            s.setString(1, stream);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next() && out.size() < n) {
                    out.add(new Run(rs.getLong(1), rs.getString(2), rs.getString(3), instant(rs, 4), instant(rs, 5), rs.getString(6), new RunCounts(
                            rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getLong(11), rs.getLong(12), rs.getLong(13)),
                            rs.getString(14), rs.getString(15)));
                }
            }
        }
        return out;
    }

    /** A timestamp column as an instant: drivers differ in what they hand out for timestamptz. */
    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Object value = rs.getObject(column);
        if (value == null) return null;
        if (value instanceof OffsetDateTime t) return t.toInstant();
        if (value instanceof Timestamp t) return t.toInstant();
        if (value instanceof java.time.LocalDateTime t) return t.toInstant(java.time.ZoneOffset.UTC);
        try {
            return rs.getObject(column, OffsetDateTime.class).toInstant();
        } catch (SQLException | RuntimeException e) {
            return rs.getTimestamp(column).toInstant();
        }
    }
}
