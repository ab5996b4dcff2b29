package io.persistiqsync.cache;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import io.persistiqsync.api.FieldType;

/** PostgreSQL: rows go in through COPY (the driver's CopyManager), upserts with ON CONFLICT. */
public class PostgresDialect implements CacheDialect {
    /** characters of CSV gathered before they are sent to the server */
    private static final int CHUNK_CHARS = 1 << 20;

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public String defaultSchema() {
        return "public";
    }

    @Override
    public String sqlType(FieldType type) {
        return switch (type) {
            case TEXT -> "text";
            case BOOLEAN -> "boolean";
            case INTEGER -> "bigint";
            case NUMBER -> "double precision";
            case TIMESTAMP -> "timestamptz";
            case JSON -> "jsonb";
        };
    }

    /**
     * COPY ... FROM STDIN in CSV form, written to the server in chunks as the rows are formatted (so
     * a batch is never held twice in memory). Every non-null value is quoted: an unquoted empty field
     * is NULL and a quoted one is the empty string.
     */
    @Override
    public void bulkLoad(Connection connection, String schema, String table, List<String> columns, List<String[]> rows) throws SQLException {
        String qualifiedStage = qualified(schema, table);
        String columnList = columns.stream().map(this::quote).collect(Collectors.joining(", "));
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY " + qualifiedStage + " (" + columnList + ") FROM STDIN (FORMAT csv)");
        try {
            StringBuilder csv = new StringBuilder(64 * 1024);
            for (String[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    if (i > 0) csv.append(',');
                    // PostgreSQL text cannot hold NUL characters at all: they are the one thing dropped
                    if (row[i] != null) csv.append('"').append(row[i].replace("\u0000", "").replace("\"", "\"\"")).append('"');
                }
                csv.append('\n');
                if (csv.length() >= CHUNK_CHARS) send(copy, csv);
            }
            send(copy, csv);
            copy.endCopy();
        } finally {
            if (copy.isActive()) copy.cancelCopy();
        }
    }

    private static void send(CopyIn copy, StringBuilder csv) throws SQLException {
        byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8); // pgjdbc always talks UTF-8
        copy.writeToCopy(bytes, 0, bytes.length);
        csv.setLength(0);
    }

    @Override
    public String upsert(String table, String stage, List<String> keyColumns, List<String> targetColumns, List<String> selectColumns) {
        return OnConflictUpsert.sql(this, table, stage, keyColumns, targetColumns, selectColumns);
    }

    /** Widening goes through text, which every type has a form in (jsonb as its JSON text). */
    @Override
    public String alterColumnType(String table, String column, FieldType type) {
        return "ALTER TABLE " + table + " ALTER COLUMN " + quote(column) + " TYPE " + sqlType(type) + " USING " + quote(column) + "::text::"
                + sqlType(type);
    }
}
