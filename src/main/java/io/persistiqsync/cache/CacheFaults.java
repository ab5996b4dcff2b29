package io.persistiqsync.cache;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.URI;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;

/**
 * What a database failure means for a sync. A lost connection (a restart, a failover, a network cut)
 * passes: the stream reconnects and goes on from its last commit. Everything else (disk full,
 * permission denied, a read-only file, a dropped table) will not pass by waiting: the stream stops at
 * once, and the message says so in the user's terms.
 */
public final class CacheFaults {
    private CacheFaults() {
    }

    public enum Kind {
        CONNECTION_LOST, DISK_FULL, PERMISSION_DENIED, READ_ONLY, OTHER
    }

    /** The kind of the first database failure in the cause chain (OTHER when there is none). */
    public static Kind classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (message.contains("no space left on device") || message.contains("file too large") || message.contains("disk quota exceeded")) {
                return Kind.DISK_FULL;
            }
            if (message.contains("permission denied")) return Kind.PERMISSION_DENIED;
            if (message.contains("read-only file system") || message.contains("database is read-only")
                    || message.contains("attempt to write a readonly database")) {
                return Kind.READ_ONLY;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                // PostgreSQL: 53100 disk_full, 42501 insufficient_privilege, 25006 read_only_sql_transaction
                if (state.equals("53100")) return Kind.DISK_FULL;
                if (state.equals("42501")) return Kind.PERMISSION_DENIED;
                if (state.equals("25006")) return Kind.READ_ONLY;
                // 08xxx connection exceptions; 57P01/02/03 the server shut down, crashed or is starting
                if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) return Kind.CONNECTION_LOST;
            }
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof EOFException || t instanceof SocketException || t instanceof ConnectException) {
                return Kind.CONNECTION_LOST;
            }
        }
        return Kind.OTHER;
    }

    /** Whether waiting and reconnecting can get past this failure. */
    public static boolean isTransient(Throwable failure) {
        return classify(failure) == Kind.CONNECTION_LOST;
    }

    /**
     * The failure as the user acts on it, one line: what happened, where, and what to do.
     *
     * @param where the database, as {@link #place} names it
     */
    public static String describe(Throwable failure, String where) {
        String cause = rootMessage(failure).replaceFirst("\\.$", "");
        return switch (classify(failure)) {
            case CONNECTION_LOST -> "the cache database connection was lost (" + where + "): " + cause;
            case DISK_FULL -> "no space left on the device of the cache (" + where + "): " + cause + "; free space and run it again";
            case PERMISSION_DENIED -> "permission denied by the cache (" + where + "): " + cause + "; grant the sync's user access and run it again";
            case READ_ONLY -> "the cache is read-only (" + where + "): " + cause;
            case OTHER -> cause;
        };
    }

    /** The database of a cache URL, for messages: "PostgreSQL at db.example.com:5432", "DuckDB file /data/cache.duckdb". */
    public static String place(String url) {
        // a BigQuery cache: a failure is the working file's (a DuckDB file) or BigQuery's; the message says which
        if (BigQueryTarget.is(url)) return CacheUrls.withoutCredentials(url);
        if (url.startsWith("jdbc:duckdb:")) {
            String file = url.substring("jdbc:duckdb:".length()).replaceFirst("[?;].*$", "");
            return file.isEmpty() || file.startsWith(":memory:") ? "DuckDB in memory" : "DuckDB file " + file;
        }
        try {
            URI uri = URI.create(url.substring("jdbc:".length()));
            String name = switch (uri.getScheme() == null ? "" : uri.getScheme()) {
                case "postgresql" -> "PostgreSQL";
                case "snowflake" -> "Snowflake";
                default -> uri.getScheme();
            };
            if (uri.getHost() != null) return name + " at " + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        } catch (IllegalArgumentException notAUri) {
            // an opaque JDBC URL: named by the URL itself below
        }
        return CacheUrls.withoutCredentials(url);
    }

    /**
     * The database's own words: the first SQLException's message in the chain (the driver's summary,
     * "An I/O error occurred while sending to the backend."), else the deepest cause's, one line.
     */
    static String rootMessage(Throwable failure) {
        Throwable chosen = null;
        Throwable root = failure;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (chosen == null && t instanceof SQLException && t.getMessage() != null && !t.getMessage().isBlank()) chosen = t;
            root = t;
        }
        if (chosen == null) chosen = root;
        String message = chosen.getMessage() == null || chosen.getMessage().isBlank() ? chosen.getClass().getSimpleName()
                : chosen instanceof SQLException ? chosen.getMessage() : chosen.getClass().getSimpleName() + ": " + chosen.getMessage();
        return message.replaceAll("\\s+", " ").trim();
    }
}
