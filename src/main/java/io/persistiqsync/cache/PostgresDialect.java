package io.persistiqsync.cache;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

import org.postgresql.PGConnection;

import io.persistiqsync.api.FieldType;

/** PostgreSQL: rows go in through COPY (the driver's CopyManager), upserts with ON CONFLICT. */
public class PostgresDialect implements CacheDialect {

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

    @Override
    public void bulkLoad(Connection connection, String schema, String table, List<String> columns, List<String[]> rows) throws SQLException {
        String qualifiedStage = qualified(schema, table);
        StringBuilder csv = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                if (i > 0) csv.append(',');
                // unquoted empty = NULL; quoted "" = empty string
                if (row[i] != null) csv.append('"').append(row[i].replace("\u0000", "").replace("\"", "\"\"")).append('"');
            }
            csv.append('\n');
        }
        String columnList = columns.stream().map(this::quote).collect(Collectors.joining(", "));
        try {
            connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY " + qualifiedStage + " (" + columnList + ") FROM STDIN (FORMAT csv)", new StringReader(csv.toString()));
        } catch (IOException e) {
            throw new SQLException("COPY into " + qualifiedStage + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String upsert(String table, String stage, List<String> keyColumns, List<String> targetColumns, List<String> selectColumns) {
        return OnConflictUpsert.sql(this, table, stage, keyColumns, targetColumns, selectColumns);
    }

    @Override
    public String alterColumnType(String table, String column, FieldType type) {
        return "ALTER TABLE " + table + " ALTER COLUMN " + quote(column) + " TYPE " + sqlType(type) + " USING " + quote(column) + "::text::"
                + sqlType(type);
    }
}
