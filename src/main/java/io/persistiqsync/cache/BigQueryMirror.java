package io.persistiqsync.cache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.persistiqsync.api.FieldType;
import io.persistiqsync.api.StreamDefinition;

/**
 * Keeps a BigQuery dataset equal to what the local working file has committed. The sync runs on the
 * working file exactly as on a DuckDB cache (state lookups never reach BigQuery); {@link CacheStore#commit}
 * calls {@link #push} first, which sends what the open transaction changed, and only then commits locally.
 * If BigQuery refuses, the local transaction is rolled back: what BigQuery did not take is not committed.
 *
 * <p>What changed in the transaction, exactly, without a query per page and without hooks in the code
 * that writes: every write to a stream table stamps the row. An upsert sets {@code _sync_id} to the run
 * and {@code _synced_at} to the commit's time; a delete mark ({@code RecordStateRepository.markUnseenDeleted})
 * sets {@code _sync_id} to the run and {@code _deleted_at} to its time. So every row this session wrote has
 * the {@code _sync_id} of a run begun after the store opened (or still open then), and a row's version is
 * {@code COALESCE(_deleted_at, _synced_at)}, a time each commit takes anew (to the microsecond). The
 * versions sent are kept in a temporary table that is part of the transaction (rolled back with it).
 * Changed rows = this session's rows whose version was not sent; no other row can have changed.
 * {@code _rejected} works the same way ({@code sync_id}, {@code rejected_at}); {@code _sync_runs} and
 * {@code _fields} are small and are compared by a hash of each row ({@code _sync_runs} once the run has
 * ended: a run starting is not worth a load job and a query of its own). {@code _record_state} and
 * {@code _stream_state} are the sync's own and stay local.
 *
 * <p>Per commit that changed something: one load job per changed table (its rows as newline-delimited
 * JSON, written by DuckDB, into a staging table, WRITE_TRUNCATE) and one query: a MERGE on the key per
 * table, inside one multi-statement transaction when there are several. Nothing per page.
 *
 * <p>A process that dies after BigQuery took a commit but before the local commit: the local state
 * still has the checkpoint and the record hashes from before, so the next sync reads those pages again,
 * finds the same records changed and sends them again; MERGE replaces a row by its key with the full
 * local row, so applying a batch twice ends as applying it once. What that does not undo: a record that
 * changes back, or disappears, between the crash and the next sync keeps the version BigQuery took, and
 * rows of {@code _rejected} sent by the dead run stay (they record real refusals). BigQuery is never
 * behind the working file.
 */
final class BigQueryMirror {
    private static final Logger LOG = LoggerFactory.getLogger(BigQueryMirror.class);
    /** the versions BigQuery was sent this session: a temporary table, so a rollback forgets them too */
    private static final String SENT = "temp.main._bigquery_sent";
    /** what users query besides the stream tables */
    private static final List<String> BOOKKEEPING = List.of("_sync_runs", "_fields", "_rejected");
    private static final String ROW_HASH = "md5(CAST(t AS VARCHAR))";
    private static final List<String> STAMPS = List.of(StreamDefinition.PRIMARY_KEY, CacheStore.SYNCED_AT, CacheStore.SYNC_ID, CacheStore.DELETED_AT);

    private final CacheStore store;
    private final String schema;
    private final BigQueryTables bigQuery;
    /** the highest run id when the store opened: rows of later runs were written by this session */
    private final long baseRun;
    /**
     * runs "running" when the store opened: a run going on after a reconnect (CacheRecovery) writes more
     * rows under its id, and a dead process's run is marked interrupted; their rows count as this session's
     * (sent once more at worst: a MERGE of the same row changes nothing)
     */
    private final List<Long> runningAtOpen;
    /** the tables' columns when the store opened (BigQuery had them then) */
    private final Map<String, LinkedHashMap<String, FieldType>> shapesAtOpen;
    /** the tables' columns as BigQuery has them, for the tables looked at this session */
    private final Map<String, LinkedHashMap<String, FieldType>> remote = new HashMap<>();
    /** tables this session created in BigQuery: all their local rows go, not only the changed ones */
    private final Set<String> sendAll = new HashSet<>();
    private boolean datasetReady;

    private BigQueryMirror(CacheStore store, String schema, BigQueryTables bigQuery) throws SQLException {
        this.store = store;
        this.schema = schema;
        this.bigQuery = bigQuery;
        this.baseRun = store.query("SELECT COALESCE(MAX(id), 0) FROM " + store.table("_sync_runs"), rs -> rs.getLong(1)).get(0);
        this.runningAtOpen = store.query("SELECT id FROM " + store.table("_sync_runs") + " WHERE status = 'running'", rs -> rs.getLong(1));
        this.shapesAtOpen = localShapes();
    }

    /**
     * The mirror of a store just opened on the working file: reads the credentials (no request yet) and
     * notes what BigQuery has (all the working file committed: the mirror sends before every commit).
     */
    static BigQueryMirror open(CacheStore store, CacheTarget target) throws SQLException {
        String schema = target.schema() != null ? target.schema() : target.dialect().defaultSchema();
        BigQueryMirror mirror = new BigQueryMirror(store, schema, new BigQueryTables(BigQueryTarget.of(target), System.getenv()));
        store.execute("CREATE TEMP TABLE IF NOT EXISTS _bigquery_sent (tbl VARCHAR, version VARCHAR)");
        for (String table : BOOKKEEPING) mirror.markSent(table, mirror.rows(table).candidates());
        store.connection().commit();
        return mirror;
    }

    /** How a table's rows are told apart: its key (none: rows are only added), this session's rows, a row's version. */
    private record Rows(List<String> keys, String candidates, String version) {
    }

    private Rows rows(String table) {
        return switch (table) {
            case "_sync_runs" -> new Rows(List.of("id"), thisSession("id") + " AND status <> 'running'", ROW_HASH);
            case "_fields" -> new Rows(List.of("stream", "field"), "TRUE", ROW_HASH);
            case "_rejected" -> new Rows(List.of(), thisSession("sync_id"), "CAST(rejected_at AS VARCHAR)");
            default -> new Rows(List.of(StreamDefinition.PRIMARY_KEY), thisSession(q(CacheStore.SYNC_ID)),
                    "CAST(COALESCE(" + q(CacheStore.DELETED_AT) + ", " + q(CacheStore.SYNCED_AT) + ") AS VARCHAR)");
        };
    }

    /** Rows of the runs this session writes, by their run id column. */
    private String thisSession(String runColumn) {
        return "(" + runColumn + " > " + baseRun
                + (runningAtOpen.isEmpty() ? "" : runningAtOpen.stream().map(String::valueOf).collect(Collectors.joining(", ", " OR " + runColumn + " IN (", ")")))
                + ")";
    }

    /** The rows BigQuery has not been sent: all of them for a table it did not have. */
    private String unsent(String table) {
        if (sendAll.contains(table)) return "TRUE";
        Rows rows = rows(table);
        return rows.candidates() + " AND " + version(rows) + " NOT IN (SELECT version FROM " + SENT + " WHERE tbl = '" + table + "')";
    }

    private void markSent(String table, String where) throws SQLException {
        store.execute("INSERT INTO " + SENT + " SELECT DISTINCT '" + table + "', " + version(rows(table)) + " FROM " + store.table(table)
                + " t WHERE " + where);
    }

    /** never NULL: one NULL in a NOT IN list would hide every row */
    private static String version(Rows rows) {
        return "COALESCE(" + rows.version() + ", '')";
    }

    /** A table with something to send in this commit. */
    private record Change(String table, LinkedHashMap<String, FieldType> columns, long rows) {
    }

    /** Brings BigQuery up to date with the open transaction; the caller commits locally after it. */
    void push() throws SQLException {
        Map<String, LinkedHashMap<String, FieldType>> shapes = localShapes();
        List<Change> changes = new ArrayList<>();
        for (Map.Entry<String, LinkedHashMap<String, FieldType>> e : shapes.entrySet()) {
            String table = e.getKey();
            long rows = count(table, unsent(table));
            LinkedHashMap<String, FieldType> known = remote.containsKey(table) ? remote.get(table) : shapesAtOpen.get(table);
            if (rows > 0 || needsChange(known, e.getValue())) changes.add(new Change(table, e.getValue(), rows));
        }
        if (changes.isEmpty()) return;
        long started = System.nanoTime();
        Path file = null;
        try {
            if (!datasetReady) {
                bigQuery.ensureDataset();
                // the run log, columns and refusals are in BigQuery from the first sync on, even while empty
                for (String table : BOOKKEEPING) {
                    if (changes.stream().anyMatch(c -> c.table().equals(table))) continue;
                    reshape(table, shapes.get(table));
                    long rows = count(table, unsent(table));
                    if (rows > 0) changes.add(new Change(table, shapes.get(table), rows));
                }
                datasetReady = true;
            }
            file = Files.createTempFile("persistiq-bigquery-", ".json");
            List<String> statements = new ArrayList<>();
            for (Change c : changes) {
                LinkedHashMap<String, FieldType> types = new LinkedHashMap<>();
                Map<String, FieldType> inBigQuery = reshape(c.table(), c.columns());
                c.columns().keySet().forEach(name -> types.put(name, inBigQuery.get(name)));
                String where = unsent(c.table());
                // a table just created in BigQuery takes every local row, not only the changed ones
                if ((sendAll.contains(c.table()) ? count(c.table(), where) : c.rows()) == 0) continue;
                export(c.table(), c.columns(), types, where, file);
                markSent(c.table(), where);
                String stage = "_stage_" + c.table();
                bigQuery.load(stage, types, file);
                List<String> names = List.copyOf(types.keySet());
                List<String> keys = rows(c.table()).keys();
                statements.add(keys.isEmpty() ? bigQuery.append(c.table(), stage, names) : bigQuery.merge(c.table(), stage, keys, names));
            }
            if (!statements.isEmpty()) {
                // the tables of one commit change together or not at all (a run's last rows and its end, say)
                bigQuery.query(statements.size() == 1 ? statements.get(0)
                        : "BEGIN TRANSACTION;\n" + String.join(";\n", statements) + ";\nCOMMIT TRANSACTION");
            }
            sendAll.removeAll(changes.stream().map(Change::table).toList());
            LOG.debug("BigQuery: {} load job(s) and {} query for {} in {} ms", statements.size(), statements.isEmpty() ? 0 : 1,
                    changes.stream().map(c -> c.table() + " (" + c.rows() + " rows)").collect(Collectors.joining(", ")),
                    (System.nanoTime() - started) / 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("BigQuery: interrupted while waiting for a job");
        } catch (IOException | RuntimeException e) {
            LOG.debug("BigQuery refused the batch", e);
            throw BigQueryTables.failure(e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    LOG.debug("cannot delete {}: {}", file, e.getMessage());
                }
            }
        }
    }

    /** Whether BigQuery, with these columns (null: no table), lacks a column or needs one wider. */
    private static boolean needsChange(Map<String, FieldType> remoteColumns, Map<String, FieldType> local) {
        if (remoteColumns == null) return true;
        for (Map.Entry<String, FieldType> c : local.entrySet()) {
            FieldType r = remoteColumns.get(c.getKey());
            if (r == null || r.widen(c.getValue()) != r) return true;
        }
        return false;
    }

    /**
     * Gives the BigQuery table the local columns: creates it (then every local row goes), adds new
     * columns by a table patch, widens changed ones. Nothing is dropped. Answers BigQuery's columns.
     */
    private LinkedHashMap<String, FieldType> reshape(String table, LinkedHashMap<String, FieldType> local) throws InterruptedException {
        if (!remote.containsKey(table)) {
            LinkedHashMap<String, FieldType> found = bigQuery.columns(table);
            if (found == null) {
                bigQuery.create(table, local);
                found = new LinkedHashMap<>(local);
                sendAll.add(table);
            }
            remote.put(table, found);
        }
        LinkedHashMap<String, FieldType> columns = remote.get(table);
        LinkedHashMap<String, FieldType> added = new LinkedHashMap<>();
        local.forEach((name, type) -> {
            if (!columns.containsKey(name)) added.put(name, type);
        });
        if (!added.isEmpty()) {
            bigQuery.addColumns(table, columns, added);
            columns.putAll(added);
        }
        for (Map.Entry<String, FieldType> c : local.entrySet()) {
            FieldType has = columns.get(c.getKey());
            FieldType wider = has.widen(c.getValue());
            if (wider != has) {
                bigQuery.widen(table, c.getKey(), has, wider);
                columns.put(c.getKey(), wider);
            }
        }
        return columns;
    }

    /**
     * The rows as newline-delimited JSON, written by DuckDB: JSON columns as nested JSON, timestamps in
     * UTC as BigQuery reads them, a column BigQuery has wider than the working file as its text.
     */
    private void export(String table, Map<String, FieldType> local, Map<String, FieldType> target, String where, Path file) throws SQLException {
        List<String> select = new ArrayList<>();
        local.forEach((name, type) -> {
            FieldType to = target.get(name);
            if (to == FieldType.TIMESTAMP) select.add("strftime(" + q(name) + " AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ') AS " + q(name));
            else if (to == FieldType.TEXT && type != FieldType.TEXT) select.add("CAST(" + q(name) + " AS VARCHAR) AS " + q(name));
            else select.add(q(name));
        });
        store.execute("COPY (SELECT " + String.join(", ", select) + " FROM " + store.table(table) + " t WHERE " + where + ") TO '"
                + file.toString().replace("'", "''") + "' (FORMAT json)");
    }

    private long count(String table, String where) throws SQLException {
        return store.query("SELECT count(*) FROM " + store.table(table) + " t WHERE " + where, rs -> rs.getLong(1)).get(0);
    }

    /** The mirrored tables of the working file and their columns: stream tables and the bookkeeping users query. */
    private LinkedHashMap<String, LinkedHashMap<String, FieldType>> localShapes() throws SQLException {
        LinkedHashMap<String, LinkedHashMap<String, FieldType>> all = new LinkedHashMap<>();
        store.query("SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_catalog = current_database()"
                + " AND table_schema = ? ORDER BY table_name, ordinal_position", rs -> all.computeIfAbsent(rs.getString(1), t -> new LinkedHashMap<>())
                        .put(rs.getString(2), fieldType(rs.getString(3))), schema);
        all.keySet().removeIf(t -> t.startsWith("_") ? !BOOKKEEPING.contains(t) : !all.get(t).keySet().containsAll(STAMPS));
        return all;
    }

    /** DuckDB's type names as DuckDbDialect makes them. */
    private static FieldType fieldType(String duckDbType) {
        return switch (duckDbType) {
            case "BOOLEAN" -> FieldType.BOOLEAN;
            case "BIGINT", "INTEGER" -> FieldType.INTEGER;
            case "DOUBLE" -> FieldType.NUMBER;
            case "TIMESTAMP WITH TIME ZONE" -> FieldType.TIMESTAMP;
            case "JSON" -> FieldType.JSON;
            default -> FieldType.TEXT;
        };
    }

    private String q(String identifier) {
        return store.dialect().quote(identifier);
    }
}
