package io.persistiqsync.cache;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

import io.persistiqsync.api.FieldType;

/**
 * Any other JDBC database (its driver jar on the class path): standard SQL types, batched inserts
 * into the stage and a standard MERGE. JSON is stored as text. Tested against H2 in its standard mode.
 */
public class GenericJdbcDialect implements CacheDialect {
    /** rows per executeBatch: big enough to save round trips, small enough for any driver's buffers */
    private static final int BATCH_SIZE = 500;

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
            // a length is required by the standard (and by H2, Derby, DB2); long notes still fit
            case TEXT, JSON -> "VARCHAR(1000000)";
            case BOOLEAN -> "BOOLEAN";
            case INTEGER -> "BIGINT";
            case NUMBER -> "DOUBLE PRECISION";
            case TIMESTAMP -> "TIMESTAMP WITH TIME ZONE";
        };
    }

    @Override
    public void bulkLoad(Connection connection, String schema, String table, List<String> columns, List<String[]> rows) throws SQLException {
        String sql = "INSERT INTO " + qualified(schema, table) + " (" + columns.stream().map(this::quote).collect(Collectors.joining(", "))
                + ") VALUES (" + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            int pending = 0;
            for (String[] row : rows) {
                for (int i = 0; i < row.length; i++) insert.setString(i + 1, row[i]);
                insert.addBatch();
                if (++pending == BATCH_SIZE) {
                    insert.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) insert.executeBatch();
        }
    }

    /**
     * Standard MERGE keyed by the key columns. The SET targets are unqualified column names, as the
     * standard has them (several databases refuse {@code t.col = ...} there).
     */
    @Override
    public String upsert(String table, String stage, List<String> keyColumns, List<String> targetColumns, List<String> selectColumns) {
        StringBuilder source = new StringBuilder("SELECT ");
        for (int i = 0; i < targetColumns.size(); i++) {
            if (i > 0) source.append(", ");
            source.append(selectColumns.get(i)).append(" AS ").append(quote(targetColumns.get(i)));
        }
        source.append(" FROM ").append(stage).append(" s");
        String match = keyColumns.stream().map(k -> "t." + quote(k) + " = m." + quote(k)).collect(Collectors.joining(" AND "));
        String updates = targetColumns.stream().filter(c -> !keyColumns.contains(c))
                .map(c -> quote(c) + " = m." + quote(c)).collect(Collectors.joining(", "));
        String inserts = targetColumns.stream().map(this::quote).collect(Collectors.joining(", "));
        String values = targetColumns.stream().map(c -> "m." + quote(c)).collect(Collectors.joining(", "));
        return "MERGE INTO " + table + " t USING (" + source + ") m ON (" + match + ")"
                + (updates.isEmpty() ? "" : " WHEN MATCHED THEN UPDATE SET " + updates)
                + " WHEN NOT MATCHED THEN INSERT (" + inserts + ") VALUES (" + values + ")";
    }

    @Override
    public String alterColumnType(String table, String column, FieldType type) {
        return "ALTER TABLE " + table + " ALTER COLUMN " + quote(column) + " SET DATA TYPE " + sqlType(type);
    }
}
