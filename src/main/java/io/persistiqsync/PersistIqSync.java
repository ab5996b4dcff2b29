package io.persistiqsync;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

import io.persistiqsync.api.StreamCatalog;
import io.persistiqsync.api.StreamDefinition;
import io.persistiqsync.cache.CacheExporter;
import io.persistiqsync.config.SyncSettings;
import io.persistiqsync.runtime.Reasons;
import io.persistiqsync.runtime.SyncRuntime;
import io.persistiqsync.sync.SyncReport;
import io.persistiqsync.sync.SyncRequest;

/**
 * PersistIQ Sync inside another Java program, the counterpart of PyAirbyte's {@code get_source},
 * {@code check}, {@code get_available_streams}, {@code read(cache)} and {@code cache["leads"]}:
 *
 * <pre>{@code
 * try (PersistIqSync piq = PersistIqSync.builder().apiKey(key).cacheUrl("jdbc:duckdb:/data/persistiq.duckdb").build()) {
 *     piq.check();                                  // throws PersistIqSyncException: the reason, in one line
 *     SyncReport report = piq.sync("users", "leads");
 *     List<Map<String, Object>> leads = piq.rows("leads");
 * }
 * }</pre>
 *
 * It runs the product's own runtime (the same Camel Main, routes and beans as the command line) from
 * the jar alone: the settings are the packaged defaults with the builder's over them, and nothing else
 * (no application.properties or routes/ of the working directory, no environment variables, no system
 * properties; see {@link SyncRuntime#startEmbedded}). Relative paths in settings (a DuckDB file,
 * cache.drivers-dir) resolve against the working directory, as any Java file path does.
 * <p>
 * One instance holds one Camel context from {@link Builder#build()} to {@link #close()}. Its methods
 * are not meant to run concurrently: {@link #rows} opens the cache read-only, which a DuckDB file
 * refuses while a sync of this or another process writes to it.
 */
public final class PersistIqSync implements AutoCloseable {
    private final SyncRuntime runtime;

    private PersistIqSync(SyncRuntime runtime) {
        this.runtime = runtime;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The settings: any key of application.properties (README, Configuration), the common ones by name. */
    public static final class Builder {
        private final Map<String, String> settings = new LinkedHashMap<>();

        private Builder() {
        }

        /** persistiq.api-key: kept out of logs, messages and JMX, sent only to the API host. */
        public Builder apiKey(String apiKey) {
            return set("persistiq.api-key", apiKey);
        }

        /** persistiq.base-url: the API host (https; plain http only on loopback). */
        public Builder baseUrl(String baseUrl) {
            return set("persistiq.base-url", baseUrl);
        }

        /** cache.url: the cache database (jdbc:duckdb:FILE, jdbc:postgresql://..., bigquery://PROJECT/DATASET, ...). */
        public Builder cacheUrl(String cacheUrl) {
            return set("cache.url", cacheUrl);
        }

        /** Any other setting by its application.properties key, e.g. {@code set("cache.password", pw)}. */
        public Builder set(String key, String value) {
            settings.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, () -> "the value of " + key));
            return this;
        }

        /** Several settings at once. */
        public Builder settings(Map<String, String> more) {
            more.forEach(this::set);
            return this;
        }

        /**
         * Starts the runtime (about a second): settings are checked here.
         *
         * @throws PersistIqSyncException with the reason, e.g. "configuration: persistiq.max-attempts 'x' is not a whole number"
         */
        public PersistIqSync build() {
            try {
                return new PersistIqSync(SyncRuntime.startEmbedded(settings));
            } catch (Exception e) {
                throw new PersistIqSyncException(Reasons.oneLine(e), e);
            }
        }
    }

    /**
     * Asks the API for one page with the key.
     *
     * @throws PersistIqSyncException saying why not: no key, a refused key, an unreachable host, ...
     */
    public void check() {
        requireKey();
        String problem = runtime.check();
        if (problem != null) throw new PersistIqSyncException(problem);
    }

    /** The names of every stream the API offers, in the order a sync reads them. */
    public List<String> streams() {
        return StreamCatalog.all().stream().map(StreamDefinition::name).toList();
    }

    /**
     * One sync of the named streams into the cache (none named: persistiq.streams), incremental as the
     * command line's. A stream that fails does not stop the others: check {@link SyncReport#succeeded()},
     * and each stream's {@link SyncReport#result(String) result} says what it did or why it failed.
     *
     * @throws IllegalArgumentException naming an unknown stream and the known ones
     * @throws PersistIqSyncException when there is no key, or the sync cannot start (the cache cannot be opened)
     */
    public SyncReport sync(String... streams) {
        requireKey();
        List<StreamDefinition> selected = StreamCatalog.select(streams.length == 0 ? settings().streams() : List.of(streams));
        try {
            return runtime.sync(new SyncRequest(selected, false, false));
        } catch (RuntimeException e) {
            throw new PersistIqSyncException(settings().secrets().redact(Reasons.oneLine(e)), e);
        }
    }

    /**
     * A stream's records straight from the API (no cache), fetched a page at a time as the iterator is
     * read, paced and retried as a sync's requests are. Not for the streams read per campaign.
     *
     * @param since only records updated (leads) or sent (events, replies) after this time; null for all
     */
    public Iterator<JsonNode> records(String stream, OffsetDateTime since) {
        requireKey();
        return runtime.records(stream, since);
    }

    /**
     * Every row of a stream's table in the cache (records the API deleted too: their {@code _deleted_at}
     * is set), in id order. Values are plain Java types (String, Long, Boolean, BigDecimal, timestamps);
     * JSON columns come as their JSON text.
     */
    public List<Map<String, Object>> rows(String stream) {
        return rows(stream, null);
    }

    /** The rows matching an SQL condition, e.g. {@code rows("leads", "_deleted_at IS NULL")} (run as written: your own SQL). */
    public List<Map<String, Object>> rows(String stream, String where) {
        List<Map<String, Object>> rows = new ArrayList<>();
        forEachRow(stream, where, rs -> {
            ResultSetMetaData md = rs.getMetaData();
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 1; i <= md.getColumnCount(); i++) row.put(md.getColumnLabel(i), value(rs, i));
            rows.add(row);
        });
        return rows;
    }

    /** What {@link #forEachRow} calls for each row. */
    @FunctionalInterface
    public interface RowHandler {
        /** The result set, positioned on the row (do not move it). */
        void row(ResultSet row) throws SQLException;
    }

    /**
     * Hands the rows of a stream's table to the handler one at a time, streamed from the cache (memory
     * stays flat for any size). The cache is opened read-only for the call.
     *
     * @param where an SQL condition, or null for all rows
     * @return how many rows were handed over
     * @throws IllegalArgumentException for an unknown stream, or one the cache has no table for yet
     */
    public long forEachRow(String stream, String where, RowHandler handler) {
        StreamDefinition definition = StreamCatalog.select(List.of(stream)).get(0);
        SyncSettings settings = settings();
        try {
            return new CacheExporter(settings.cacheTarget()).read(definition, where, handler::row);
        } catch (SQLException e) {
            throw new PersistIqSyncException("cannot read " + stream + " from " + settings.cacheTarget().displayUrl() + ": "
                    + settings.secrets().redact(Reasons.oneLine(e)), e);
        }
    }

    /** JDBC's standard Java types as they are; a driver's own (DuckDB's JSON, PostgreSQL's jsonb) as text. */
    private static Object value(ResultSet rs, int column) throws SQLException {
        Object value = rs.getObject(column);
        return value == null || value.getClass().getName().startsWith("java.") ? value : rs.getString(column);
    }

    private SyncSettings settings() {
        return runtime.settings();
    }

    private void requireKey() {
        if (!settings().hasApiKey()) throw new PersistIqSyncException("no API key: give one to PersistIqSync.builder().apiKey(...)");
    }

    /** Stops the runtime (a sync in progress commits its current batch first, as on SIGTERM). */
    @Override
    public void close() {
        try {
            runtime.close();
        } catch (Exception e) {
            throw new PersistIqSyncException("stopping: " + Reasons.oneLine(e), e);
        }
    }
}
