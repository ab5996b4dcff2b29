package io.persistiqsync.cache;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import com.google.auth.Credentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.BigQueryOptions;
import com.google.cloud.bigquery.DatasetId;
import com.google.cloud.bigquery.DatasetInfo;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.FormatOptions;
import com.google.cloud.bigquery.Job;
import com.google.cloud.bigquery.JobId;
import com.google.cloud.bigquery.JobInfo;
import com.google.cloud.bigquery.JobInfo.CreateDisposition;
import com.google.cloud.bigquery.JobInfo.WriteDisposition;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.Schema;
import com.google.cloud.bigquery.StandardSQLTypeName;
import com.google.cloud.bigquery.StandardTableDefinition;
import com.google.cloud.bigquery.Table;
import com.google.cloud.bigquery.TableDataWriteChannel;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.TableInfo;
import com.google.cloud.bigquery.WriteChannelConfiguration;

import io.persistiqsync.api.FieldType;

/**
 * The BigQuery side of the mirror, through Google's client over its REST API: the dataset, tables and
 * their schemas, load jobs of newline-delimited JSON, and query jobs. Every call that costs (a load job,
 * a query) is one method here, so what a commit spends is read off {@link BigQueryMirror}.
 */
final class BigQueryTables {
    static final String ENV_CREDENTIALS = "GOOGLE_APPLICATION_CREDENTIALS";
    /** the client's default upload chunk */
    private static final int MAX_CHUNK = 15 * 1024 * 1024;

    private final BigQuery bigQuery;
    private final BigQueryTarget target;

    BigQueryTables(BigQueryTarget target, Map<String, String> env) throws SQLException {
        this.target = target;
        BigQueryOptions.Builder options = BigQueryOptions.newBuilder()
                // both given, so the client never looks for them (the metadata server is one of its places)
                .setProjectId(target.project())
                .setCredentials(credentials(target, env));
        if (target.host() != null) options.setHost(target.host().toString());
        if (target.location() != null) options.setLocation(target.location());
        this.bigQuery = options.build().getService();
    }

    /**
     * The service account key of cache.bigquery.credentials-file, else of GOOGLE_APPLICATION_CREDENTIALS,
     * read as exactly that (never Google's default lookup, which asks the metadata server); none only for
     * a stand-in on loopback. What a bad key file holds is never repeated: the message names the file.
     */
    static Credentials credentials(BigQueryTarget target, Map<String, String> env) throws SQLException {
        Path file = target.credentialsFile();
        String from = "cache.bigquery.credentials-file";
        if (file == null && env.get(ENV_CREDENTIALS) != null && !env.get(ENV_CREDENTIALS).isBlank()) {
            file = Path.of(env.get(ENV_CREDENTIALS).trim());
            from = ENV_CREDENTIALS;
        }
        if (file == null) {
            if (target.loopbackHost()) return NoCredentials.getInstance();
            throw new SQLException("BigQuery needs a service account key: set cache.bigquery.credentials-file or " + ENV_CREDENTIALS);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return ServiceAccountCredentials.fromStream(in);
        } catch (NoSuchFileException e) {
            throw new SQLException("the BigQuery key file " + file + " (" + from + ") does not exist");
        } catch (IOException | RuntimeException e) {
            // the parser's message can quote the file (the private key included): only the file is named
            throw new SQLException("the BigQuery key file " + file + " (" + from + ") cannot be read as a service account JSON key");
        }
    }

    /**
     * A failure as the sync reports it, in one line and without the client's exception (nothing of a
     * request in it). BigQuery out of reach (the network, or its 5xx once the client's own retries are
     * spent) is a lost connection to the cache (SQLState 08006: CacheFaults), so the stream goes on from its
     * last commit after a wait; anything else is said as BigQuery said it, and the stream stops.
     */
    static SQLException failure(Exception e) {
        boolean unreachable = false;
        for (Throwable t = e; t != null && !unreachable; t = t.getCause() == t ? null : t.getCause()) {
            unreachable = t instanceof IOException && t.getClass().getPackageName().equals("java.net")
                    || t instanceof BigQueryException b && b.getCode() >= 500;
        }
        return new SQLException("BigQuery: " + String.valueOf(e.getMessage()).replaceAll("\\s+", " "), unreachable ? "08006" : null);
    }

    /** Creates the dataset unless it exists (in the URL's location, if it names one). */
    void ensureDataset() {
        DatasetId id = DatasetId.of(target.project(), target.dataset());
        if (bigQuery.getDataset(id) != null) return;
        try {
            bigQuery.create(DatasetInfo.newBuilder(id).setLocation(target.location()).build());
        } catch (BigQueryException e) {
            if (e.getCode() != 409) throw e; // made meanwhile by someone else: as good
        }
    }

    /** A table's columns and their types, in order; null when the table does not exist. */
    LinkedHashMap<String, FieldType> columns(String table) {
        Table found = bigQuery.getTable(tableId(table));
        if (found == null) return null;
        LinkedHashMap<String, FieldType> out = new LinkedHashMap<>();
        Schema schema = found.getDefinition().getSchema();
        if (schema != null) {
            for (Field f : schema.getFields()) out.put(f.getName(), fieldType(table, f));
        }
        return out;
    }

    void create(String table, Map<String, FieldType> columns) {
        bigQuery.create(TableInfo.of(tableId(table), StandardTableDefinition.of(schema(columns))));
    }

    /** New columns, appended (tables.patch with the whole new schema: nothing is dropped or reordered). */
    void addColumns(String table, Map<String, FieldType> before, Map<String, FieldType> added) {
        Map<String, FieldType> all = new LinkedHashMap<>(before);
        all.putAll(added);
        bigQuery.update(TableInfo.of(tableId(table), StandardTableDefinition.of(schema(all))));
    }

    /**
     * Widens a column as {@link FieldType#widen} does: INT64 to FLOAT64 in place (a DDL statement,
     * BigQuery keeps the values); to STRING, which BigQuery cannot change a column to, by one query that
     * rewrites the table with the column cast (JSON as its JSON text), keeping the column order.
     */
    void widen(String table, String column, FieldType from, FieldType to) throws InterruptedException {
        if (from == FieldType.INTEGER && to == FieldType.NUMBER) {
            query("ALTER TABLE " + name(table) + " ALTER COLUMN " + quote(column) + " SET DATA TYPE " + typeName(to));
            return;
        }
        if (to != FieldType.TEXT) throw new IllegalArgumentException("no widening of " + from + " to " + to);
        String cast = from == FieldType.JSON ? "TO_JSON_STRING(" + quote(column) + ")" : "CAST(" + quote(column) + " AS STRING)";
        query("CREATE OR REPLACE TABLE " + name(table) + " AS SELECT * REPLACE (" + cast + " AS " + quote(column) + ") FROM " + name(table));
    }

    /** One load job: the file's rows replace what the table held (it is made in this shape if need be). */
    void load(String table, Map<String, FieldType> columns, Path ndjson) throws IOException, InterruptedException {
        WriteChannelConfiguration config = WriteChannelConfiguration.newBuilder(tableId(table))
                .setFormatOptions(FormatOptions.json())
                .setSchema(schema(columns))
                .setCreateDisposition(CreateDisposition.CREATE_IF_NEEDED)
                .setWriteDisposition(WriteDisposition.WRITE_TRUNCATE)
                .build();
        // the client uploads by Google's resumable protocol: one POST opens the job, PUTs carry the bytes
        TableDataWriteChannel writer = bigQuery.writer(jobId(), config);
        // the client buffers a chunk in memory (15 MiB unless told): a commit's rows are mostly far less
        writer.setChunkSize((int) Math.min(Files.size(ndjson), MAX_CHUNK));
        try (OutputStream out = Channels.newOutputStream(writer)) {
            Files.copy(ndjson, out);
        }
        finish(writer.getJob(), "loading " + table);
    }

    /** One query job (a statement or a script), waited for. */
    void query(String sql) throws InterruptedException {
        Job job = bigQuery.create(JobInfo.of(jobId(), QueryJobConfiguration.newBuilder(sql).setUseLegacySql(false).build()));
        finish(job, "a query");
    }

    private static void finish(Job job, String what) throws InterruptedException {
        if (job == null) throw new IllegalStateException("BigQuery answered no job for " + what);
        Job done = job.waitFor();
        if (done == null) throw new IllegalStateException("BigQuery lost the job for " + what);
        if (done.getStatus().getError() != null) throw new IllegalStateException(what + ": " + done.getStatus().getError().getMessage());
    }

    /** MERGE on the keys: staged rows replace the table's rows of the same key, or are added. */
    String merge(String table, String stage, List<String> keys, List<String> columns) {
        String on = keys.stream().map(k -> "T." + quote(k) + " = S." + quote(k)).collect(Collectors.joining(" AND "));
        String set = columns.stream().filter(c -> !keys.contains(c)).map(c -> quote(c) + " = S." + quote(c)).collect(Collectors.joining(", "));
        String names = columns.stream().map(BigQueryTables::quote).collect(Collectors.joining(", "));
        String values = columns.stream().map(c -> "S." + quote(c)).collect(Collectors.joining(", "));
        return "MERGE INTO " + name(table) + " AS T USING " + name(stage) + " AS S ON " + on
                + (set.isEmpty() ? "" : " WHEN MATCHED THEN UPDATE SET " + set)
                + " WHEN NOT MATCHED THEN INSERT (" + names + ") VALUES (" + values + ")";
    }

    /** For a table without a key (_rejected): staged rows are added. */
    String append(String table, String stage, List<String> columns) {
        String names = columns.stream().map(BigQueryTables::quote).collect(Collectors.joining(", "));
        return "INSERT INTO " + name(table) + " (" + names + ") SELECT " + names + " FROM " + name(stage);
    }

    /** project.dataset.table, quoted for GoogleSQL. */
    String name(String table) {
        return quote(target.project() + "." + target.dataset() + "." + table);
    }

    /** Names here are made by ColumnNames (letters, digits, underscores) or by us; backticks are escaped anyway. */
    static String quote(String identifier) {
        return '`' + identifier.replace("\\", "\\\\").replace("`", "\\`") + '`';
    }

    private TableId tableId(String table) {
        return TableId.of(target.project(), target.dataset(), table);
    }

    private JobId jobId() {
        // made here, so a retried insert finds its own job instead of starting a second one
        return JobId.newBuilder().setProject(target.project()).setJob("persistiq_sync_" + UUID.randomUUID()).setLocation(target.location())
                .build();
    }

    private static Schema schema(Map<String, FieldType> columns) {
        List<Field> fields = new ArrayList<>();
        columns.forEach((name, type) -> fields.add(Field.newBuilder(name, sqlType(type)).setMode(Field.Mode.NULLABLE).build()));
        return Schema.of(fields);
    }

    static String typeName(FieldType type) {
        return sqlType(type).name();
    }

    private static StandardSQLTypeName sqlType(FieldType type) {
        return switch (type) {
            case TEXT -> StandardSQLTypeName.STRING;
            case BOOLEAN -> StandardSQLTypeName.BOOL;
            case INTEGER -> StandardSQLTypeName.INT64;
            case NUMBER -> StandardSQLTypeName.FLOAT64;
            case TIMESTAMP -> StandardSQLTypeName.TIMESTAMP;
            case JSON -> StandardSQLTypeName.JSON;
        };
    }

    private static FieldType fieldType(String table, Field field) {
        StandardSQLTypeName type = field.getType().getStandardType();
        for (FieldType t : FieldType.values()) {
            if (sqlType(t) == type) return t;
        }
        throw new IllegalStateException("column " + field.getName() + " of " + table + " is " + type
                + " in BigQuery, a type this sync does not write: change it back or drop the table");
    }
}
