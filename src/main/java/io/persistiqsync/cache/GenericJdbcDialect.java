package io.persistiqsync.cache;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

import io.persistiqsync.api.FieldType;

/**
 * Any other JDBC database (driver jar on the class path): standard SQL types, batched inserts and a
 * standard MERGE. JSON is stored as text.
 */
public class GenericJdbcDialect implements CacheDialect {

    @Override
    public String name() {
        return "generic";
    }

    @Override
    public String defaultSchema() {
        return null;
    }

    @Override
    public String sqlType(FieldType type) {
        return switch (type) {
            case TEXT, JSON -> "VARCHAR(1000000)";
            case BOOLEAN -> "BOOLEAN";
            case INTEGER -> "BIGINT";
            case NUMBER -> "DOUBLE PRECISION";
            case TIMESTAMP -> "TIMESTAMP WITH TIME ZONE";
        };
    }

    @Override
    public void bulkLoad(Connection connection, String schema, String table, List<String> columns, List<String[]> rows) throws SQLException {
        String qualifiedStage = qualified(schema, table);
        String sql = "INSERT INTO " + qualifiedStage + " (" + columns.stream().map(this::quote).collect(Collectors.joining(", "))
                + ") VALUES (" + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            for (String[] row : rows) {
                for (int i = 0; i < row.length; i++) insert.setString(i + 1, row[i]);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    @Override
    public String upsert(String table, String stage, List<String> keyColumns, List<String> targetColumns, List<String> selectColumns) {
        StringBuilder source = new StringBuilder("SELECT ");
        for (int i = 0; i < targetColumns.size(); i++) {
            if (i > 0) source.append(", ");
            source.append(selectColumns.get(i)).append(" AS ").append(quote(targetColumns.get(i)));
        }
        source.append(" FROM ").append(stage).append(" s");
        String updates = targetColumns.stream().filter(c -> !keyColumns.contains(c))
                .map(c -> "t." + quote(c) + " = m." + quote(c)).collect(Collectors.joining(", "));
        String inserts = targetColumns.stream().map(this::quote).collect(Collectors.joining(", "));
        String values = targetColumns.stream().map(c -> "m." + quote(c)).collect(Collectors.joining(", "));
        return "MERGE INTO " + table + " t USING (" + source + ") m ON (t.\"id\" = m.\"id\")"
                + " WHEN MATCHED THEN UPDATE SET " + updates
                + " WHEN NOT MATCHED THEN INSERT (" + inserts + ") VALUES (" + values + ")";
    }

    @Override
    public String alterColumnType(String table, String column, FieldType type) {
        return "ALTER TABLE " + table + " ALTER COLUMN " + quote(column) + " SET DATA TYPE " + sqlType(type);
    }
}
