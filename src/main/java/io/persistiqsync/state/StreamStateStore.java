package io.persistiqsync.state;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import io.persistiqsync.cache.CacheStore;

/** Reads and writes {@code _stream_state}; writes join the caller's transaction. */
public final class StreamStateStore {
    private StreamStateStore() {
    }

    public static StreamState load(CacheStore store, String stream) throws SQLException {
        List<StreamState> found = store.query("SELECT stream, watermark, last_full_pass, pass_id, pass_mode, pass_started, pass_filter,"
                + " checkpoint_partition, checkpoint_page FROM " + store.table("_stream_state") + " WHERE stream = ?",
                rs -> new StreamState(rs.getString(1), longOrNull(rs, 2), longOrNull(rs, 3), longOrNull(rs, 4), rs.getString(5),
                        longOrNull(rs, 6), rs.getString(7), rs.getString(8), rs.getInt(9)),
                stream);
        return found.isEmpty() ? StreamState.empty(stream) : found.get(0);
    }

    /** One statement per commit where the row exists (it does after a stream's first commit): an UPDATE, else the INSERT. */
    public static void save(CacheStore store, StreamState s) throws SQLException {
        int updated = store.update("UPDATE " + store.table("_stream_state") + " SET watermark = ?, last_full_pass = ?, pass_id = ?, pass_mode = ?,"
                + " pass_started = ?, pass_filter = ?, checkpoint_partition = ?, checkpoint_page = ? WHERE stream = ?",
                s.watermark(), s.lastFullPass(), s.passId(), s.passMode(), s.passStarted(), s.passFilter(), s.checkpointPartition(),
                s.checkpointPage(), s.stream());
        if (updated > 0) return;
        store.update("INSERT INTO " + store.table("_stream_state") + " (stream, watermark, last_full_pass, pass_id, pass_mode, pass_started,"
                + " pass_filter, checkpoint_partition, checkpoint_page) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                s.stream(), s.watermark(), s.lastFullPass(), s.passId(), s.passMode(), s.passStarted(), s.passFilter(),
                s.checkpointPartition(), s.checkpointPage());
    }

    private static Long longOrNull(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
