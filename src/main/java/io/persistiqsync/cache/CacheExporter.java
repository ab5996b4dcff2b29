package io.persistiqsync.cache;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import io.persistiqsync.api.StreamDefinition;

/**
 * Writes one stream's table to a Parquet or CSV file, from whichever database holds the cache.
 *
 * <ul>
 * <li>DuckDB writes the file itself ({@code COPY (SELECT ...) TO ...}), opened read-only: exporting
 * never changes the cache and can run beside other readers.</li>
 * <li>Other databases: rows stream through JDBC (a cursor, a fetch size) into CSV; for Parquet, that
 * CSV is then converted by an in-memory DuckDB with the column types given explicitly. Memory stays
 * flat however big the table is.</li>
 * </ul>
 * The connection is open only while exporting. The file appears whole or not at all: it is written
 * next to its destination and moved into place at the end.
 */
public final class CacheExporter {
    private static final int FETCH_SIZE = 1000;
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

    /** The file formats an export writes. */
    public enum Format {
        PARQUET, CSV;

        /** parquet or csv, any case. */
        public static Format of(String name) {
            for (Format f : values()) {
                if (f.name().equalsIgnoreCase(name)) return f;
            }
            throw new IllegalArgumentException("unknown format '" + name + "' (parquet or csv)");
        }

        /** The format a file name suggests (.csv, .parquet), or null. */
        public static Format fromFileName(Path file) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".csv")) return CSV;
            if (name.endsWith(".parquet") || name.endsWith(".pq")) return PARQUET;
            return null;
        }

        String duckDbName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final CacheTarget target;
    private final String schema;
    private final CacheDialect dialect;

    public CacheExporter(CacheTarget target) {
        this.target = target;
        this.schema = target.schema();
        this.dialect = target.dialect();
    }

    /**
     * Exports the stream's rows (all of them, deleted ones included, unless {@code where} says
     * otherwise), in id order.
     *
     * @param where an SQL condition on the table's columns, or null. It runs as written: it is the
     *              operator's own input, trusted like the SQL they could run on the cache directly.
     * @return how many rows were written
     * @throws IllegalArgumentException when the cache has no table for the stream yet
     */
    public long export(StreamDefinition stream, Format format, Path output, String where) throws SQLException, IOException {
        Path target = output.toAbsolutePath();
        if (target.getParent() != null) Files.createDirectories(target.getParent());
        Path partial = target.resolveSibling("." + target.getFileName() + ".part");
        Path csv = target.resolveSibling("." + target.getFileName() + ".csv.part");
        try (Connection connection = open()) {
            String query = query(connection, stream, where);
            long rows;
            String copy = dialect.copyToFile(query, partial.toString(), format.duckDbName());
            if (copy != null) {
                try (Statement s = connection.createStatement()) {
                    rows = s.executeUpdate(copy);
                }
            } else if (format == Format.CSV) {
                rows = writeCsv(connection, query, partial).rows();
            } else {
                CsvResult result = writeCsv(connection, query, csv);
                csvToParquet(csv, result.duckDbTypes(), result.names(), partial);
                rows = result.rows();
            }
            moveIntoPlace(partial, target);
            return rows;
        } finally {
            Files.deleteIfExists(partial);
            Files.deleteIfExists(csv);
        }
    }

    /** What a caller does with the rows of {@link #read}. */
    @FunctionalInterface
    public interface RowReader {
        /** Called once per row, the result set positioned on it. */
        void row(ResultSet row) throws SQLException;
    }

    /**
     * Hands the stream's rows (as {@link #export} selects them, in id order) to the reader one by one,
     * streamed through a cursor: memory stays flat however big the table.
     *
     * @return how many rows were read
     * @throws IllegalArgumentException when the cache has no table for the stream yet
     */
    public long read(StreamDefinition stream, String where, RowReader reader) throws SQLException {
        try (Connection connection = open(); Statement s = connection.createStatement()) {
            s.setFetchSize(FETCH_SIZE);
            long rows = 0;
            try (ResultSet rs = s.executeQuery(query(connection, stream, where))) {
                while (rs.next()) {
                    reader.row(rs);
                    rows++;
                }
            }
            return rows;
        }
    }

    /** The stream's rows (deleted ones too unless {@code where} says otherwise) in id order. */
    private String query(Connection connection, StreamDefinition stream, String where) throws SQLException {
        String schemaName = schema != null ? schema : dialect.defaultSchema() != null ? dialect.defaultSchema() : connection.getSchema();
        if (!tableExists(connection, schemaName, stream.name())) {
            throw new IllegalArgumentException("the cache has no table " + stream.name() + " yet: sync the stream first");
        }
        return "SELECT * FROM " + dialect.qualified(schemaName, stream.name())
                + (where == null || where.isBlank() ? "" : " WHERE (" + where + ")") + " ORDER BY " + dialect.quote(StreamDefinition.PRIMARY_KEY);
    }

    private Connection open() throws SQLException {
        return CacheStore.openReadOnly(target);
    }

    private static boolean tableExists(Connection connection, String schemaName, String table) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        try (ResultSet rs = meta.getTables(null, schemaName, table, null)) {
            while (rs.next()) {
                if (table.equals(rs.getString("TABLE_NAME"))) return true;
            }
        }
        return false;
    }

    /** What a CSV export wrote: the row count, and the columns with the DuckDB type of each. */
    private record CsvResult(long rows, List<String> names, List<String> duckDbTypes) {
    }

    private static CsvResult writeCsv(Connection connection, String query, Path file) throws SQLException, IOException {
        try (Statement s = connection.createStatement()) {
            s.setFetchSize(FETCH_SIZE);
            try (ResultSet rs = s.executeQuery(query); BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                ResultSetMetaData md = rs.getMetaData();
                int n = md.getColumnCount();
                List<String> names = new ArrayList<>(n);
                List<String> types = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    names.add(md.getColumnLabel(i));
                    types.add(duckDbType(md.getColumnType(i), md.getColumnTypeName(i)));
                }
                CsvWriter csv = new CsvWriter(out);
                csv.writeRow(names);
                long rows = 0;
                List<String> values = new ArrayList<>(n);
                Timestamps timestamps = new Timestamps();
                while (rs.next()) {
                    values.clear();
                    for (int i = 1; i <= n; i++) values.add(text(rs, i, types.get(i - 1), timestamps));
                    csv.writeRow(values);
                    rows++;
                }
                return new CsvResult(rows, names, types);
            }
        }
    }

    /** The DuckDB type that holds a JDBC column's values (what the Parquet file's column will be). */
    static String duckDbType(int sqlType, String typeName) {
        String name = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
        return switch (sqlType) {
            case Types.BOOLEAN, Types.BIT -> "BOOLEAN"; // PostgreSQL reports boolean as BIT
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> "BIGINT";
            case Types.REAL, Types.FLOAT, Types.DOUBLE, Types.NUMERIC, Types.DECIMAL -> "DOUBLE";
            case Types.TIMESTAMP_WITH_TIMEZONE -> "TIMESTAMPTZ";
            // PostgreSQL reports timestamptz as TIMESTAMP: its type name tells them apart (Snowflake's
            // TIMESTAMPLTZ is an instant too, its TIMESTAMPNTZ is not)
            case Types.TIMESTAMP -> (name.contains("tz") && !name.contains("ntz")) || name.contains("time zone") ? "TIMESTAMPTZ" : "TIMESTAMP";
            case Types.DATE -> "DATE";
            default -> name.equals("json") || name.equals("jsonb") || name.equals("variant") ? "JSON" : "VARCHAR";
        };
    }

    /** One value as CSV text DuckDB (and pandas) read back unchanged; null for SQL NULL. */
    private static String text(ResultSet rs, int i, String duckDbType, Timestamps timestamps) throws SQLException {
        String value = switch (duckDbType) {
            case "BOOLEAN" -> {
                boolean b = rs.getBoolean(i);
                yield rs.wasNull() ? null : Boolean.toString(b);
            }
            case "BIGINT" -> {
                long l = rs.getLong(i);
                yield rs.wasNull() ? null : Long.toString(l);
            }
            case "DOUBLE" -> {
                double d = rs.getDouble(i);
                yield rs.wasNull() ? null : Double.toString(d);
            }
            case "TIMESTAMPTZ" -> {
                Instant t = timestamps.instant(rs, i);
                yield t == null ? null : TIMESTAMP.format(t.atOffset(ZoneOffset.UTC)) + "+00:00";
            }
            case "TIMESTAMP" -> {
                LocalDateTime t = timestamps.local(rs, i);
                yield t == null ? null : TIMESTAMP.format(t);
            }
            default -> rs.getString(i);
        };
        return value;
    }

    /**
     * Reads timestamps as java.time values, exact whatever the JVM's time zone. A driver that refuses them
     * (Snowflake's: "Type passed to 'getObject(int columnIndex,Class<T> type)' is unsupported", a plain
     * SQLException) is read through getTimestamp from its first refusal on, for the rest of the export.
     */
    private static final class Timestamps {
        private boolean offsetRefused;
        private boolean localRefused;

        Instant instant(ResultSet rs, int i) throws SQLException {
            if (!offsetRefused) {
                try {
                    OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
                    return t == null ? null : t.toInstant();
                } catch (SQLException refused) {
                    offsetRefused = true;
                }
            }
            Timestamp t = rs.getTimestamp(i); // an instant: the JVM's time zone plays no part
            return t == null ? null : t.toInstant();
        }

        LocalDateTime local(ResultSet rs, int i) throws SQLException {
            if (!localRefused) {
                try {
                    return rs.getObject(i, LocalDateTime.class);
                } catch (SQLException refused) {
                    localRefused = true;
                }
            }
            Timestamp t = rs.getTimestamp(i); // the wall-clock time, read back in the zone the driver made it in
            return t == null ? null : t.toLocalDateTime();
        }
    }

    /** Converts the streamed CSV with an in-memory DuckDB, every column's type given (nothing guessed). */
    private static void csvToParquet(Path csv, List<String> types, List<String> names, Path parquet) throws SQLException {
        StringBuilder columns = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            columns.append(i == 0 ? "" : ", ").append(literal(names.get(i))).append(": ").append(literal(types.get(i)));
        }
        String read = "SELECT * FROM read_csv(" + literal(csv.toString()) + ", header = true, auto_detect = false, delim = ',', quote = '\"',"
                + " escape = '\"', allow_quoted_nulls = false, columns = {" + columns + "})";
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duck.createStatement()) {
            s.execute("COPY (" + read + ") TO " + literal(parquet.toString()) + " (FORMAT parquet)");
        }
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private static void moveIntoPlace(Path partial, Path target) throws IOException {
        try {
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
