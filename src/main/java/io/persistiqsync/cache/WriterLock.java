package io.persistiqsync.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Never two writers of one account on a PostgreSQL cache: a sync holds a session-level advisory lock
 * ({@code pg_try_advisory_lock}) keyed by schema and account for as long as it runs. A second runtime,
 * a manual {@code sync} or a JMX syncNow() on any host finds it held and skips. The lock lives on a
 * connection of its own, so the cache connection may be replaced mid-sync (a lost connection is
 * retried) without letting go of it; when the process dies, PostgreSQL ends its session and the lock
 * goes with it. The key is the whole account, not each stream: _sync_runs ids, child streams that read
 * their parent's table and the API key's rate limit are all shared by the account's streams.
 * Other databases have nothing to hold: DuckDB lets one process write a file already.
 */
public class WriterLock {
    /** PostgreSQL shows this beside the lock's session (pg_stat_activity): who holds it. */
    static final String APPLICATION_NAME = "persistiq-sync writer ";

    private final CacheTarget target;
    private final String key;
    private final String node;
    private Connection held;

    public WriterLock(CacheTarget target, String account, String node) {
        this.target = target;
        this.key = "persistiq-sync:" + (target.schema() == null ? "" : target.schema()) + ":" + account;
        this.node = node;
    }

    /** Whether the cache is one where another process could write at the same time (PostgreSQL). */
    public boolean applies() {
        return target.dialect() instanceof PostgresDialect;
    }

    /**
     * Takes the lock. Answers null when this process now holds it (or there is nothing to hold), else one
     * line saying who holds it.
     */
    public synchronized String tryAcquire() throws SQLException {
        if (!applies() || held != null) return null;
        Properties props = new Properties();
        props.putAll(target.connectionProperties());
        props.setProperty("ApplicationName", APPLICATION_NAME + node);
        Connection c = CacheDrivers.connect(target.url(), props, target.driversDir());
        try {
            if (query(c, "SELECT pg_try_advisory_lock(?)")) {
                held = c;
                return null;
            }
            return "another sync of this account holds the cache's writer lock (" + holder(c) + ")";
        } finally {
            if (held != c) c.close();
        }
    }

    /** Lets go of the lock (closing its session releases it). */
    public synchronized void release() {
        Connection c = held;
        held = null;
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException alreadyGone) {
            // a session that is gone holds nothing
        }
    }

    /** Whether this process holds the lock still (its session can be lost with a database restart). */
    public synchronized boolean held() {
        try {
            return held != null && held.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    /** The node that holds the lock, as its session names itself; "a process not known" when it cannot be told. */
    private String holder(Connection c) {
        String sql = "SELECT a.application_name, a.client_addr FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                + " WHERE l.locktype = 'advisory' AND l.granted AND ((l.classid::bigint << 32) | l.objid::bigint) = ? AND l.objsubid = 1";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, keyId());
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) return "it was let go just now";
                String name = rs.getString(1);
                String who = name != null && name.startsWith(APPLICATION_NAME) ? "node " + name.substring(APPLICATION_NAME.length()) : "a process";
                return rs.getString(2) == null ? who : who + " at " + rs.getString(2);
            }
        } catch (SQLException e) {
            return "who holds it cannot be read: " + e.getMessage();
        }
    }

    private boolean query(Connection c, String sql) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, keyId());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** The lock's 64-bit id: the first 8 bytes of the key's SHA-256 (the same on every host). */
    long keyId() {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            long id = 0;
            for (int i = 0; i < 8; i++) id = (id << 8) | (h[i] & 0xFF);
            return id;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return key;
    }
}
