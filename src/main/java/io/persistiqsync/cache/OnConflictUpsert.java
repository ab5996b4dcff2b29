package io.persistiqsync.cache;

import java.util.List;
import java.util.stream.Collectors;

/** INSERT ... SELECT ... ON CONFLICT (id) DO UPDATE, as DuckDB and PostgreSQL both speak it. */
final class OnConflictUpsert {
    private OnConflictUpsert() {
    }

    static String sql(CacheDialect dialect, String table, String stage, List<String> keyColumns, List<String> targetColumns,
            List<String> selectColumns) {
        String targets = targetColumns.stream().map(dialect::quote).collect(Collectors.joining(", "));
        String updates = targetColumns.stream().filter(c -> !keyColumns.contains(c))
                .map(c -> dialect.quote(c) + " = excluded." + dialect.quote(c)).collect(Collectors.joining(", "));
        return "INSERT INTO " + table + " (" + targets + ") SELECT " + String.join(", ", selectColumns) + " FROM " + stage
                + " s ON CONFLICT (" + keyColumns.stream().map(dialect::quote).collect(Collectors.joining(", ")) + ") DO UPDATE SET " + updates;
    }
}
