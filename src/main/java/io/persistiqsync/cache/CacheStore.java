package io.persistiqsync.cache;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import io.persistiqsync.api.FieldType;
import io.persistiqsync.api.StreamDefinition;
import io.persistiqsync.cache.StreamColumns.Column;

/**
 * One open connection to the cache database, with the SQL every dialect shares: stream tables that
 * grow with the data, staged bulk upserts, rejected records. The connection runs in manual-commit mode:
 * callers commit whole batches (data, record state and checkpoint together) so no half-written batch
 * is ever visible. Opened for one sync and closed after it: a DuckDB file stays free between syncs.
 */
public class CacheStore implements AutoCloseable {
    public static final String SYNCED_AT = "_synced_at";
    public static final String SYNC_ID = "_sync_id";
    public static final String DELETED_AT = "_deleted_at";
    private static final DateTimeFormatter SQL_TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);

    private final Connection connection;
    private final CacheDialect dialect;
    private final String schema;
    private final Map<String, Set<String>> tableColumns = new HashMap<>();
    private final Map<String, List<String>> stageShapes = new HashMap<>();
    /** whether the database stores unquoted names in upper case (H2, Oracle, DB2: standard SQL) */
    private final boolean upperCaseIdentifiers;
    /** a bigquery:// cache: what each commit changed is sent to BigQuery before it commits here (else null) */
    private BigQueryMirror mirror;

    private CacheStore(Connection connection, CacheDialect dialect, String schema) throws SQLException {
        this.connection = connection;
        this.dialect = dialect;
        this.schema = schema;
        this.upperCaseIdentifiers = connection.getMetaData().storesUpperCaseIdentifiers();
    }

    /** Opens the cache the target names and makes sure its bookkeeping tables exist. */
    public static CacheStore open(CacheTarget target) throws SQLException {
        Connection connection = target.connect();
        try {
            connection.setAutoCommit(false);
            CacheStore store = new CacheStore(connection, target.dialect(), target.schema());
            store.createBookkeeping();
            if (BigQueryTarget.is(target.url())) store.mirror = BigQueryMirror.open(store, target);
            return store;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /**
     * A read-only connection for commands that only read (export, streams): a DuckDB file is opened
     * read-only, so other readers are not excluded and nothing is created; other databases stream
     * with a cursor, which PostgreSQL allows only inside a transaction.
     */
    public static Connection openReadOnly(CacheTarget target) throws SQLException {
        boolean duckDb = target.dialect() instanceof DuckDbDialect;
        Properties props = new Properties();
        if (duckDb) props.setProperty("duckdb.read_only", "true");
        props.putAll(target.driverProperties());
        Connection connection = new CacheTarget(target.url(), target.schema(), target.driversDir(), props).connect();
        try {
            if (!duckDb) {
                connection.setReadOnly(true);
                connection.setAutoCommit(false);
            }
            return connection;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private void createBookkeeping() throws SQLException {
        if (schema != null) execute("CREATE SCHEMA IF NOT EXISTS " + dialect.quote(schema));
        execute(ddl("_record_state", "stream {TEXT} NOT NULL, id {TEXT} NOT NULL, hash {TEXT}, seen_pass {INTEGER}, PRIMARY KEY (stream, id)"));
        execute(ddl("_stream_state", "stream {TEXT} PRIMARY KEY, watermark {INTEGER}, last_full_pass {INTEGER}, pass_id {INTEGER},"
                + " pass_mode {TEXT}, pass_started {INTEGER}, pass_filter {TEXT}, checkpoint_partition {TEXT}, checkpoint_page {INTEGER}"));
        execute(ddl("_sync_runs", "id {INTEGER} PRIMARY KEY, stream {TEXT} NOT NULL, mode {TEXT}, started_at {TIMESTAMP}, finished_at {TIMESTAMP},"
                + " status {TEXT}, records_new {INTEGER}, records_changed {INTEGER}, records_unchanged {INTEGER}, records_deleted {INTEGER},"
                + " records_rejected {INTEGER}, pages {INTEGER}, requests {INTEGER}, error {TEXT}, node {TEXT}"));
        // a cache made before runs recorded their node gets the column (rows before it have none)
        if (existingColumns("_sync_runs").stream().noneMatch("node"::equalsIgnoreCase)) {
            execute("ALTER TABLE " + table("_sync_runs") + " ADD COLUMN node " + dialect.sqlType(FieldType.TEXT));
            tableColumns.remove("_sync_runs");
        }
        execute(ddl("_fields", "stream {TEXT} NOT NULL, field {TEXT} NOT NULL, column_name {TEXT} NOT NULL, column_type {TEXT} NOT NULL,"
                + " position {INTEGER}, PRIMARY KEY (stream, field)"));
        execute(ddl("_rejected", "stream {TEXT} NOT NULL, record_id {TEXT}, raw_json {TEXT}, reason {TEXT}, sync_id {INTEGER}, rejected_at {TIMESTAMP}"));
        // The staging tables of the bookkeeping upserts (shapes as RecordStateRepository.write and
        // applyColumnChanges use them) are made now, outside any batch: some databases (H2, MySQL,
        // Oracle) commit the open transaction on every DDL statement.
        ensureStage("_record_state", bookkeepingColumns(List.of("stream", "id", "hash", "seen_pass")));
        ensureStage("_fields", bookkeepingColumns(List.of("stream", "field", "column_name", "column_type", "position")));
        connection.commit();
    }

    private String ddl(String table, String columns) {
        for (FieldType t : FieldType.values()) columns = columns.replace("{" + t + "}", dialect.sqlType(t));
        return "CREATE TABLE IF NOT EXISTS " + table(table) + " (" + columns + ")";
    }

    public Connection connection() {
        return connection;
    }

    public CacheDialect dialect() {
        return dialect;
    }

    /** The quoted, schema-qualified name of a table. */
    public String table(String name) {
        return dialect.qualified(schema, name);
    }

    /**
     * The SQL text of an instant, in UTC with microseconds: 2014-07-09 22:08:44.000000+00:00. Written by
     * hand for years 1-9999 (every timestamp of a record passes here; the formatter was slow), else
     * by the formatter.
     */
    public static String timestamp(Instant instant) {
        long seconds = instant.getEpochSecond();
        java.time.LocalDateTime t = java.time.LocalDateTime.ofEpochSecond(seconds, instant.getNano(), ZoneOffset.UTC);
        if (t.getYear() < 1 || t.getYear() > 9999) return SQL_TIMESTAMP.format(instant);
        char[] c = "0000-00-00 00:00:00.000000+00:00".toCharArray();
        put(c, 0, t.getYear(), 4);
        put(c, 5, t.getMonthValue(), 2);
        put(c, 8, t.getDayOfMonth(), 2);
        put(c, 11, t.getHour(), 2);
        put(c, 14, t.getMinute(), 2);
        put(c, 17, t.getSecond(), 2);
        put(c, 20, t.getNano() / 1000, 6);
        return new String(c);
    }

    /** The instant a text of {@link #timestamp} stands for, in microseconds since 1970 (read by hand for the same years). */
    public static long epochMicros(String text) {
        if (text.length() == 32 && text.endsWith("+00:00") && text.charAt(4) == '-' && text.charAt(10) == ' ' && text.charAt(19) == '.') {
            long seconds = java.time.LocalDateTime.of(digits(text, 0, 4), digits(text, 5, 2), digits(text, 8, 2), digits(text, 11, 2),
                    digits(text, 14, 2), digits(text, 17, 2)).toEpochSecond(ZoneOffset.UTC);
            return seconds * 1_000_000 + digits(text, 20, 6);
        }
        Instant instant = SQL_TIMESTAMP.parse(text, Instant::from);
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1000;
    }

    private static int digits(String text, int at, int width) {
        int value = 0;
        for (int i = at; i < at + width; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') throw new java.time.format.DateTimeParseException("not a timestamp of ours", text, i);
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static void put(char[] into, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            into[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    public void commit() throws SQLException {
        if (mirror != null) {
            try {
                mirror.push();
            } catch (SQLException | RuntimeException e) {
                // what BigQuery did not take is not committed here either
                connection.rollback();
                throw e;
            }
        }
        connection.commit();
    }

    public void rollback() throws SQLException {
        connection.rollback();
    }

    public void execute(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    public int update(String sql, Object... params) throws SQLException {
        try (PreparedStatement s = prepare(sql, params)) {
            return s.executeUpdate();
        }
    }

    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) throws SQLException {
        try (PreparedStatement s = prepare(sql, params); ResultSet rs = s.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) out.add(mapper.map(rs));
            return out;
        }
    }

    private PreparedStatement prepare(String sql, Object... params) throws SQLException {
        PreparedStatement s = connection.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) s.setObject(i + 1, params[i]);
        return s;
    }

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    // --- stream tables ----------------------------------------------------------------------------

    /** The stream's columns as the last sync left them ({@code _fields}) on top of its declared ones. */
    public StreamColumns columns(StreamDefinition stream) throws SQLException {
        List<Column> stored = query("SELECT field, column_name, column_type FROM " + table("_fields") + " WHERE stream = ? ORDER BY position",
                rs -> new Column(rs.getString(1), rs.getString(2), FieldType.valueOf(rs.getString(3)), false), stream.name());
        return new StreamColumns(stream, stored);
    }

    /** Creates the stream's table, adds new columns and widens changed ones; records them in _fields. */
    public void applyColumnChanges(StreamDefinition stream, StreamColumns columns) throws SQLException {
        List<Column> changes = columns.drainChanges();
        if (changes.isEmpty()) return;
        Set<String> existing = existingColumns(stream.name());
        if (existing.isEmpty()) {
            StringBuilder cols = new StringBuilder();
            for (Column c : columns.all()) {
                cols.append(dialect.quote(c.name())).append(' ').append(dialect.sqlType(c.type()));
                if (c.name().equals(StreamDefinition.PRIMARY_KEY)) cols.append(" PRIMARY KEY");
                cols.append(", ");
            }
            cols.append(dialect.quote(SYNCED_AT)).append(' ').append(dialect.sqlType(FieldType.TIMESTAMP)).append(", ")
                    .append(dialect.quote(SYNC_ID)).append(' ').append(dialect.sqlType(FieldType.INTEGER)).append(", ")
                    .append(dialect.quote(DELETED_AT)).append(' ').append(dialect.sqlType(FieldType.TIMESTAMP));
            execute("CREATE TABLE " + table(stream.name()) + " (" + cols + ")");
        } else {
            Map<String, String> storedTypes = new HashMap<>();
            for (String[] row : query("SELECT column_name, column_type FROM " + table("_fields") + " WHERE stream = ?",
                    rs -> new String[] {rs.getString(1), rs.getString(2)}, stream.name())) {
                storedTypes.put(row[0], row[1]);
            }
            for (Column c : changes) {
                if (!existing.contains(c.name())) {
                    execute("ALTER TABLE " + table(stream.name()) + " ADD COLUMN " + dialect.quote(c.name()) + " " + dialect.sqlType(c.type()));
                } else if (storedTypes.containsKey(c.name()) && !storedTypes.get(c.name()).equals(c.type().name())) {
                    for (String sql : dialect.widenColumn(table(stream.name()), c.name(), FieldType.valueOf(storedTypes.get(c.name())), c.type())) {
                        execute(sql);
                    }
                }
            }
        }
        tableColumns.remove(stream.name());
        // the stream's stage too gets its shape here, before the batch's rows (see createBookkeeping)
        ensureStage(stream.name(), columns.names());
        List<Column> all = columns.all();
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            Column c = all.get(i);
            rows.add(new String[] {stream.name(), c.field(), c.name(), c.type().name(), Integer.toString(i)});
        }
        stageAndUpsert("_fields", List.of("stream", "field"), List.of("stream", "field", "column_name", "column_type", "position"),
                List.of(FieldType.TEXT, FieldType.TEXT, FieldType.TEXT, FieldType.TEXT, FieldType.INTEGER), rows, List.of(), false);
    }

    /** Column names of a table as the database has them, in the table's order (empty when the table does not exist). */
    public Set<String> existingColumns(String tableName) throws SQLException {
        Set<String> known = tableColumns.get(tableName);
        if (known != null) return known;
        Set<String> out = new LinkedHashSet<>();
        DatabaseMetaData meta = connection.getMetaData();
        String schemaName = schema != null ? schema : dialect.defaultSchema();
        // generic databases: the connection's own schema, so a same-named table elsewhere is not seen
        if (schemaName == null) schemaName = connection.getSchema();
        try (ResultSet rs = meta.getColumns(null, schemaName, tableName, null)) {
            while (rs.next()) {
                if (tableName.equals(rs.getString("TABLE_NAME"))) out.add(rs.getString("COLUMN_NAME"));
            }
        }
        if (!out.isEmpty()) tableColumns.put(tableName, out);
        return out;
    }

    /**
     * Inserts or updates records (the newest version of each), marking them written by this sync and live.
     *
     * @param allNew the records are known not to be in the table: inserted without looking for them
     */
    public void upsertRecords(StreamDefinition stream, StreamColumns columns, Collection<CacheRecord> records, long syncId, Instant syncedAt,
            boolean allNew) throws SQLException {
        if (records.isEmpty()) return;
        List<Column> all = columns.all();
        List<String[]> rows = new ArrayList<>(records.size());
        for (CacheRecord r : records) rows.add(r.values().length == all.size() ? r.values() : java.util.Arrays.copyOf(r.values(), all.size()));
        stageAndUpsert(stream.name(), List.of(StreamDefinition.PRIMARY_KEY), columns.names(), all.stream().map(Column::type).toList(), rows,
                List.of(new Stamp(SYNCED_AT, FieldType.TIMESTAMP, timestamp(syncedAt)), new Stamp(SYNC_ID, FieldType.INTEGER, Long.toString(syncId)),
                        new Stamp(DELETED_AT, FieldType.TIMESTAMP, null)), allNew);
    }

    /** A value every row of a batch gets in one column (the sync's stamps), as text like the rows' values. */
    public record Stamp(String column, FieldType type, String value) {
    }

    /**
     * The bulk path: text rows into an all-text staging table (the dialect's fastest load), then one
     * statement that casts each column to its type on the way into the table, then the stage is emptied,
     * all in the open transaction. Rows known to be new ({@code allNew}) are inserted, straight into the
     * table where the dialect can append typed values ({@link CacheDialect#appendNew}); others upserted.
     */
    public void stageAndUpsert(String tableName, List<String> keys, List<String> columns, List<FieldType> types, List<String[]> rows,
            List<Stamp> stamps, boolean allNew) throws SQLException {
        if (rows.isEmpty()) return;
        if (tableName.startsWith("_")) {
            keys = bookkeepingColumns(keys);
            columns = bookkeepingColumns(columns);
        }
        String schemaName = schema != null ? schema : dialect.defaultSchema();
        if (allNew && dialect.appendNew(connection, schemaName, tableName, List.copyOf(existingColumns(tableName)), columns, types, rows, stamps)) {
            return;
        }
        String stage = ensureStage(tableName, columns);
        dialect.bulkLoad(connection, schemaName, stage, columns, rows);
        List<String> targets = new ArrayList<>(columns);
        List<String> selects = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            String read = "s." + dialect.quote(columns.get(i));
            selects.add(types.get(i) == FieldType.TEXT ? read : dialect.cast(read, types.get(i)));
        }
        for (Stamp stamp : stamps) {
            targets.add(stamp.column());
            selects.add(dialect.cast(stamp.value() == null ? "NULL" : "'" + stamp.value().replace("'", "''") + "'", stamp.type()));
        }
        String staged = dialect.stageTable(schema, stage);
        execute(allNew
                ? "INSERT INTO " + table(tableName) + " (" + targets.stream().map(dialect::quote).collect(Collectors.joining(", ")) + ") SELECT "
                        + String.join(", ", selects) + " FROM " + staged + " s"
                : dialect.upsert(table(tableName), staged, keys, targets, selects));
        execute("DELETE FROM " + staged);
    }

    /** Makes the all-text staging table of a table in this shape, unless it has it already; answers its name. */
    private String ensureStage(String tableName, List<String> columns) throws SQLException {
        String stage = "_stage_" + tableName.replaceFirst("^_", "");
        if (!columns.equals(stageShapes.get(stage))) {
            String staged = dialect.stageTable(schema, stage);
            execute("DROP TABLE IF EXISTS " + staged);
            StringBuilder cols = new StringBuilder();
            for (String c : columns) cols.append(cols.length() == 0 ? "" : ", ").append(dialect.quote(c)).append(' ').append(dialect.sqlType(FieldType.TEXT));
            execute(dialect.createStage(schema, stage, cols.toString()));
            stageShapes.put(stage, List.copyOf(columns));
        }
        return stage;
    }

    /**
     * Bookkeeping tables are made with unquoted column names (the state code reads them unquoted), so
     * a database that folds unquoted names to upper case stores STREAM, ID, ...: quoted, they must be
     * spelled the same way. Stream tables are always quoted and keep their lower-case names.
     */
    private List<String> bookkeepingColumns(List<String> names) {
        return upperCaseIdentifiers ? names.stream().map(n -> n.toUpperCase(Locale.ROOT)).toList() : names;
    }

    /** Records that cannot be stored, with their raw JSON and the reason, for a person to look at. */
    public void reject(Collection<CacheRecord> rejected, long syncId, Instant at) throws SQLException {
        if (rejected.isEmpty()) return;
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table("_rejected")
                + " (stream, record_id, raw_json, reason, sync_id, rejected_at) VALUES (?, ?, ?, ?, ?, "
                + dialect.cast("?", FieldType.TIMESTAMP) + ")")) {
            for (CacheRecord r : rejected) {
                insert.setString(1, r.stream());
                insert.setString(2, r.id());
                insert.setString(3, r.rawJson());
                insert.setString(4, r.rejection());
                insert.setLong(5, syncId);
                insert.setString(6, timestamp(at));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Ids of the live records of a stream (the partitions of its child streams), in id order. */
    public List<String> liveIds(String stream) throws SQLException {
        if (existingColumns(stream).isEmpty()) return List.of();
        return query("SELECT " + dialect.quote("id") + " FROM " + table(stream) + " WHERE " + dialect.quote(DELETED_AT) + " IS NULL ORDER BY 1",
                rs -> rs.getString(1));
    }

    @Override
    public void close() throws SQLException {
        try {
            if (!connection.isClosed()) connection.rollback();
        } catch (SQLException lost) {
            // the connection is gone (the reason was reported where it broke): nothing is left to roll back
        } finally {
            connection.close();
        }
    }
}
