package io.persistiqsync.cache;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.List;

import io.persistiqsync.api.FieldType;

/**
 * What differs between cache databases. Everything else (table shapes, state, runs) is plain SQL in
 * {@link CacheStore}. Rows travel as text into an all-text staging table and are cast on the way into
 * the stream table, so a dialect needs only types, a bulk path and an upsert.
 */
public interface CacheDialect {

    /** Chooses the dialect from the JDBC URL: DuckDB, PostgreSQL, Snowflake, or standard SQL for anything else. */
    static CacheDialect forUrl(String jdbcUrl) {
        // a BigQuery cache runs its SQL on its local DuckDB working file (BigQueryTarget)
        if (jdbcUrl.startsWith("jdbc:duckdb:") || BigQueryTarget.is(jdbcUrl)) return new DuckDbDialect();
        if (jdbcUrl.startsWith("jdbc:postgresql:")) return new PostgresDialect();
        if (jdbcUrl.startsWith("jdbc:snowflake:")) return new SnowflakeDialect();
        return new GenericJdbcDialect();
    }

    String name();

    /**
     * Adds this database's connection defaults to the properties a connection is opened with; a property
     * the user gave (in the URL or the settings) is never overridden.
     */
    default void connectionDefaults(String url, Properties props) throws SQLException {
    }

    /** The driver's failure to connect, said so the user knows what to do (by default as the driver says it). */
    default SQLException connectFailure(String url, SQLException failure) {
        return failure;
    }

    /** The schema tables land in when cache.schema is empty (null: whatever the connection uses). */
    String defaultSchema();

    String sqlType(FieldType type);

    /** The staging table of a table, as SQL names it: by default beside the table, in the cache's schema. */
    default String stageTable(String schema, String stage) {
        return qualified(schema, stage);
    }

    /** The DDL that makes a staging table named by {@link #stageTable}. */
    default String createStage(String schema, String stage, String columns) {
        return "CREATE TABLE " + stageTable(schema, stage) + " (" + columns + ")";
    }

    /** Loads text rows into the staging table the fastest way the database has. */
    void bulkLoad(Connection connection, String schema, String table, List<String> columns, List<String[]> rows) throws SQLException;

    /**
     * Appends rows known to be new straight into the table, typed, where the database has a path faster
     * than stage + INSERT ... SELECT; answers false where it has none (the rows are then staged).
     *
     * @param tableOrder the table's columns in its own order (the rows' columns may be fewer, in another order)
     * @param stamps     values every row gets, after the rows' own columns
     */
    default boolean appendNew(Connection connection, String schema, String table, List<String> tableOrder, List<String> columns,
            List<FieldType> types, List<String[]> rows, List<CacheStore.Stamp> stamps) throws SQLException {
        return false;
    }

    /**
     * Inserts or updates every staged row into the table, keyed by the key columns.
     *
     * @param selectColumns per target column, the SQL expression reading it from the stage {@code s}
     */
    String upsert(String qualifiedTable, String qualifiedStage, List<String> keyColumns, List<String> targetColumns, List<String> selectColumns);

    /** SQL that changes a column to a wider type, keeping its values. */
    String alterColumnType(String qualifiedTable, String column, FieldType type);

    /**
     * The statements, run in this order, that change a column from its type to a wider one, keeping its
     * values: by default the one of {@link #alterColumnType}. A database that cannot change a column's
     * type in place (Snowflake) copies the values into a new column instead.
     */
    default List<String> widenColumn(String qualifiedTable, String column, FieldType from, FieldType to) {
        return List.of(alterColumnType(qualifiedTable, column, to));
    }

    /** Exports a query's result as Parquet or CSV, when the database can do it itself; else null. */
    default String copyToFile(String query, String path, String format) {
        return null;
    }

    /** Quotes an identifier: every name that reaches SQL passes here, data-made names included. */
    default String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** schema.table, quoted; no schema = the connection's default one. */
    default String qualified(String schema, String table) {
        return (schema == null || schema.isEmpty() ? "" : quote(schema) + ".") + quote(table);
    }

    default String cast(String expression, FieldType type) {
        return "CAST(" + expression + " AS " + sqlType(type) + ")";
    }
}
