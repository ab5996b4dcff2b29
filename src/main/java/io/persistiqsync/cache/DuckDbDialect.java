package io.persistiqsync.cache;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Collectors;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import io.persistiqsync.api.FieldType;

/** DuckDB (the default cache): rows go in through the Appender, DuckDB's bulk path. */
public class DuckDbDialect implements CacheDialect {
    public static final String MOTHERDUCK_TOKEN = "motherduck_token";

    @Override
    public String name() {
        return "duckdb";
    }

    /**
     * MotherDuck ({@code jdbc:duckdb:md:DATABASE}) signs in with a token: without one, its extension would
     * start an interactive browser login, which a scheduled runtime cannot finish.
     */
    @Override
    public void connectionDefaults(String url, Properties props) throws SQLException {
        if (isMotherDuck(url) && !props.containsKey(MOTHERDUCK_TOKEN) && !url.toLowerCase(Locale.ROOT).contains(MOTHERDUCK_TOKEN + "=")
                && (System.getenv("MOTHERDUCK_TOKEN") == null || System.getenv("MOTHERDUCK_TOKEN").isBlank())) {
            throw new SQLException("MotherDuck needs a token: set MOTHERDUCK_TOKEN or cache.motherduck-token");
        }
    }

    /** DuckDB reaches MotherDuck through its motherduck extension, downloaded on first use: offline, that fails. */
    @Override
    public SQLException connectFailure(String url, SQLException failure) {
        String message = String.valueOf(failure.getMessage());
        if (isMotherDuck(url) && message.contains("Failed to download extension") && message.contains("motherduck")) {
            return new SQLException("MotherDuck cannot be reached: DuckDB could not download its motherduck extension (is this machine"
                    + " offline, or is extensions.duckdb.org blocked?). Allow it, or install the extension beforehand with the same"
                    + " DuckDB version: duckdb -c 'INSTALL motherduck'", failure);
        }
        return failure;
    }

    static boolean isMotherDuck(String url) {
        return url.startsWith("jdbc:duckdb:md:") || url.startsWith("jdbc:duckdb:motherduck:");
    }

    @Override
    public String defaultSchema() {
        return "main";
    }

    @Override
    public String sqlType(FieldType type) {
        return switch (type) {
            case TEXT -> "VARCHAR";
            case BOOLEAN -> "BOOLEAN";
            case INTEGER -> "BIGINT";
            case NUMBER -> "DOUBLE";
            case TIMESTAMP -> "TIMESTAMPTZ";
            case JSON -> "JSON";
        };
    }

    /**
     * Stages are temporary tables: they live in memory with the connection, so staged rows never pass
     * through the write-ahead log or a checkpoint of the file (they did twice: appended, then deleted).
     */
    @Override
    public String stageTable(String schema, String stage) {
        return "temp.main." + quote(stage);
    }

    @Override
    public String createStage(String schema, String stage, String columns) {
        return "CREATE TEMP TABLE " + quote(stage) + " (" + columns + ")";
    }

    @Override
    public void bulkLoad(Connection connection, String schema, String table, List<String> columns, List<String[]> rows) throws SQLException {
        try (DuckDBAppender appender = connection.unwrap(DuckDBConnection.class).createAppender("temp", "main", table)) {
            for (String[] row : rows) {
                appender.beginRow();
                for (String value : row) {
                    if (value == null) appender.appendNull();
                    else appender.append(value);
                }
                appender.endRow();
            }
        }
    }

    /**
     * New rows go through the Appender straight into the table, typed: no stage, no INSERT ... SELECT with
     * casts, no stage to empty, and the commit writes the rows once (BENCHMARKS.md, issue 14). The
     * Appender fills every column in the table's order, so columns the rows lack get NULL.
     */
    @Override
    public boolean appendNew(Connection connection, String schema, String table, List<String> tableOrder, List<String> columns,
            List<FieldType> types, List<String[]> rows, List<CacheStore.Stamp> stamps) throws SQLException {
        if (tableOrder.isEmpty()) return false;
        int width = columns.size();
        int[] source = new int[tableOrder.size()];
        FieldType[] type = new FieldType[tableOrder.size()];
        for (int k = 0; k < source.length; k++) {
            String name = tableOrder.get(k);
            source[k] = columns.indexOf(name);
            if (source[k] >= 0) {
                type[k] = types.get(source[k]);
                continue;
            }
            for (int j = 0; j < stamps.size(); j++) {
                if (stamps.get(j).column().equals(name)) {
                    source[k] = width + j;
                    type[k] = stamps.get(j).type();
                }
            }
        }
        // The Appender joins the connection's open transaction, but with none open it commits its rows in
        // one of its own (with autocommit off, DuckDB opens a transaction only at the next statement): this
        // statement opens it, so the rows commit or roll back with their batch (SinkContract checks it).
        try (Statement open = connection.createStatement()) {
            open.execute("SELECT 1");
        }
        try (DuckDBAppender appender = connection.unwrap(DuckDBConnection.class).createAppender(schema, table)) {
            for (String[] row : rows) {
                appender.beginRow();
                for (int k = 0; k < source.length; k++) {
                    int i = source[k];
                    String value = i < 0 ? null : i < width ? (i < row.length ? row[i] : null) : stamps.get(i - width).value();
                    append(appender, value, type[k], tableOrder.get(k));
                }
                appender.endRow();
            }
        }
        return true;
    }

    private static void append(DuckDBAppender appender, String value, FieldType type, String column) throws SQLException {
        if (value == null) {
            appender.appendNull();
            return;
        }
        try {
            switch (type) {
                case INTEGER -> appender.append(Long.parseLong(value));
                case NUMBER -> appender.append(Double.parseDouble(value));
                case BOOLEAN -> appender.append(Boolean.parseBoolean(value));
                case TIMESTAMP -> appender.appendEpochMicros(CacheStore.epochMicros(value));
                default -> appender.append(value);
            }
        } catch (RuntimeException e) {
            // what a cast in INSERT ... SELECT would have refused: the batch fails, saying where
            throw new SQLException("column " + column + ": cannot store '" + value + "' as " + type, e);
        }
    }

    @Override
    public String upsert(String table, String stage, List<String> keyColumns, List<String> targetColumns, List<String> selectColumns) {
        // DuckDB runs DELETE + INSERT several times faster than INSERT ... ON CONFLICT DO UPDATE
        // (measured: ~8 ms against ~45 ms per 1,000 leads); both run inside the batch's transaction.
        String match = keyColumns.stream().map(k -> "t." + quote(k) + " = s." + quote(k)).collect(Collectors.joining(" AND "));
        return "DELETE FROM " + table + " t USING " + stage + " s WHERE " + match + "; INSERT INTO " + table + " ("
                + targetColumns.stream().map(this::quote).collect(Collectors.joining(", ")) + ") SELECT " + String.join(", ", selectColumns)
                + " FROM " + stage + " s";
    }

    @Override
    public String alterColumnType(String table, String column, FieldType type) {
        return "ALTER TABLE " + table + " ALTER COLUMN " + quote(column) + " TYPE " + sqlType(type);
    }

    @Override
    public String copyToFile(String query, String path, String format) {
        String options = format.equals("parquet") ? "(FORMAT parquet)" : "(FORMAT csv, HEADER true)";
        return "COPY (" + query + ") TO '" + path.replace("'", "''") + "' " + options;
    }
}
