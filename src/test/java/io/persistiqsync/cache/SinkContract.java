package io.persistiqsync.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.persistiqsync.runtime.SyncRuntime;
import io.persistiqsync.SyncTestSupport;
import io.persistiqsync.api.FieldType;
import io.persistiqsync.api.StreamCatalog;
import io.persistiqsync.simulator.SimulatedAccount;
import io.persistiqsync.simulator.SimulatorSettings;
import io.persistiqsync.sync.StreamResult;
import io.persistiqsync.sync.SyncReport;
import io.persistiqsync.sync.SyncRequest;

/**
 * The one contract every cache sink meets, run unchanged against DuckDB, PostgreSQL and H2 (through
 * the generic JDBC sink): only the settings that choose the sink differ between the subclasses.
 *
 * <p>The scenarios are steps in the life of one cache (full sync, incremental re-sync, deletes, a new
 * custom field, type changes, odd names, export), so they run in order against one simulator, one
 * database and one runtime that stays up between syncs, as {@code run} does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class SinkContract {
    static final int LEADS = 120;
    static final String ODD_FIELD = "Weird \"Name\"; DROP TABLE leads; --";
    static final String ODD_COLUMN = "weird_name_drop_table_leads";
    static final String ODD_VALUE = "it's \"quoted\", with a comma,\nand a second line";

    final ObjectMapper json = new ObjectMapper();
    SyncTestSupport env;
    SyncRuntime runtime;
    SimulatedAccount account;

    // --- what a sink provides ----------------------------------------------------------------------

    /** Starts the database, if it is a server. */
    void startSink() throws Exception {
    }

    void stopSink() throws Exception {
    }

    /** The settings that choose this sink: cache.url, and cache.user / cache.schema where needed. */
    abstract Map<String, String> sinkSettings(Path dir);

    abstract Class<? extends CacheDialect> expectedDialect();

    /** The schema the stream tables land in, as the database names it. */
    abstract String schema();

    /** A connection for the assertions (opened and closed around each query). */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(env.settings().get("cache.url"));
    }

    // --- life cycle ----------------------------------------------------------------------------------

    @BeforeAll
    void start() throws Exception {
        startSink();
        env = new SyncTestSupport(SimulatorSettings.builder().users(2).leads(LEADS).campaigns(3));
        sinkSettings(env.dir).forEach(env::set);
        runtime = env.start();
        account = env.simulator.account();
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (runtime != null) runtime.close();
            if (env != null) env.close();
        } finally {
            stopSink();
        }
    }

    SyncReport sync(boolean fullPass, String... streams) {
        SyncReport report = runtime.sync(new SyncRequest(StreamCatalog.select(List.of(streams)), fullPass, false));
        assertTrue(report.succeeded(), () -> "sync failed: " + report.results());
        return report;
    }

    // --- the scenarios -----------------------------------------------------------------------------

    /** New rows take the sink's fastest path (DuckDB: straight into the table); a batch rolled back leaves none of them. */
    @Test
    @Order(0)
    void aBatchRolledBackLeavesNoRow() throws Exception {
        List<String[]> rows = List.of(new String[] {"rollback-probe", "a", "h1", "1"}, new String[] {"rollback-probe", "b", "h2", "1"});
        List<String> columns = List.of("stream", "id", "hash", "seen_pass");
        List<FieldType> types = List.of(FieldType.TEXT, FieldType.TEXT,
                FieldType.TEXT, FieldType.INTEGER);
        try (CacheStore store = runtime.settings().openCache()) {
            String count = "SELECT COUNT(*) FROM " + store.table("_record_state") + " WHERE stream = ?";
            // twice: the second batch begins with no statement of its own (what the store knows of the table is cached)
            for (int batch = 1; batch <= 2; batch++) {
                store.stageAndUpsert("_record_state", List.of("stream", "id"), columns, types, rows, List.of(), true);
                store.rollback();
                assertEquals(List.of(0L), store.query(count, rs -> rs.getLong(1), "rollback-probe"), "rows of rolled-back batch " + batch);
                store.rollback();
            }
            store.stageAndUpsert("_record_state", List.of("stream", "id"), columns, types, rows, List.of(), true);
            assertEquals(List.of(2L), store.query(count, rs -> rs.getLong(1), "rollback-probe"), "the open batch sees its own rows");
            store.rollback();
        }
    }

    @Test
    @Order(1)
    void fullSyncLandsEveryRecordWithItsValues() throws Exception {
        assertEquals(expectedDialect(), CacheDialect.forUrl(env.settings().get("cache.url")).getClass(), "the URL chooses the sink");
        SyncReport report = sync(false, "users", "leads", "campaigns", "lead_fields", "lead_statuses");

        assertEquals(LEADS, count("SELECT count(*) FROM " + t("leads")));
        assertEquals(LEADS, count("SELECT count(DISTINCT " + q("id") + ") FROM " + t("leads")));
        assertEquals(2, count("SELECT count(*) FROM " + t("users")));
        assertEquals(3, count("SELECT count(*) FROM " + t("campaigns")));
        assertEquals(LEADS, report.result("leads").counts().created());
        Map<String, Map<String, Object>> stored = new LinkedHashMap<>();
        for (Map<String, Object> row : rows("SELECT * FROM " + t("leads"))) stored.put((String) row.get("id"), row);
        for (String id : account.liveLeadIds()) assertLeadStored(id, stored.get(id));
        assertEquals(5, count("SELECT count(*) FROM " + t("_sync_runs") + " WHERE status = 'succeeded'"));
        assertEquals(0, count("SELECT count(*) FROM " + t("leads") + " WHERE " + q("_synced_at") + " IS NULL OR " + q("_deleted_at")
                + " IS NOT NULL"));
    }

    @Test
    @Order(2)
    void incrementalResyncWritesOnlyWhatChanged() throws Exception {
        List<String> edited = account.editLeads(4);
        List<String> added = account.addLeads(3);

        StreamResult leads = sync(false, "leads").result("leads");

        assertEquals("incremental", leads.mode());
        assertEquals(3, leads.counts().created());
        assertEquals(4, leads.counts().changed());
        assertEquals(LEADS + 3, count("SELECT count(*) FROM " + t("leads")));
        for (String id : edited) assertLeadStored(id);
        for (String id : added) assertLeadStored(id);
        long run = count("SELECT max(id) FROM " + t("_sync_runs") + " WHERE stream = 'leads'");
        assertEquals(7, count("SELECT count(*) FROM " + t("leads") + " WHERE " + q("_sync_id") + " = " + run), "only changed rows are rewritten");
    }

    @Test
    @Order(3)
    void deletedRecordsAreMarkedAndKeepTheirValues() throws Exception {
        List<String> removed = account.removeLeads(2);
        Map<String, Object> before = lead(removed.get(0));

        assertEquals(2, sync(true, "leads").result("leads").counts().deleted());

        for (String id : removed) assertNotNull(lead(id).get("_deleted_at"), id + " is marked deleted");
        Map<String, Object> after = lead(removed.get(0));
        for (String column : List.of("status", "data", "data__email", "data__first_name", "sent_count")) {
            assertEquals(normal(before.get(column)), normal(after.get(column)), column + " of a deleted lead is kept");
        }
        assertEquals(LEADS + 3, count("SELECT count(*) FROM " + t("leads")), "no row is ever dropped");
        assertEquals(LEADS + 1, count("SELECT count(*) FROM " + t("leads") + " WHERE " + q("_deleted_at") + " IS NULL"));

        account.restoreLead(removed.get(0));
        sync(false, "leads");
        assertNull(lead(removed.get(0)).get("_deleted_at"), "a lead that comes back is live again");
    }

    @Test
    @Order(4)
    void aNewCustomFieldBecomesANewColumn() throws Exception {
        List<String> before = columns("leads");
        account.addCustomLeadField("Renewal Date (Q3)");
        List<String> edited = account.editLeads(6);

        sync(false, "leads", "lead_fields");

        List<String> after = columns("leads");
        assertTrue(after.containsAll(before), "no column is dropped: " + before + " -> " + after);
        assertTrue(after.contains("data__renewal_date_q3"), after::toString);
        for (String id : edited) {
            JsonNode value = account.lead(id).path("data").get("Renewal Date (Q3)");
            assertEquals(value == null || value.isNull() ? null : value.asText(), lead(id).get("data__renewal_date_q3"), id);
        }
        assertEquals(1, count("SELECT count(*) FROM " + t("_fields") + " WHERE stream = 'leads' AND column_name = 'data__renewal_date_q3'"));
        assertEquals(1, count("SELECT count(*) FROM " + t("lead_fields") + " WHERE " + q("name") + " = 'Renewal Date (Q3)'"));
    }

    @Test
    @Order(5)
    void aFieldWhoseTypeChangesIsWidenedNeverTruncated() throws Exception {
        List<String> ids = account.liveLeadIds();
        String a = ids.get(10);
        String b = ids.get(20);
        String c = ids.get(30);
        String d = ids.get(40);
        String e = ids.get(50);

        // fields the documentation does not list: their columns take the type of what arrives
        account.setLeadAttribute(a, "score", IntNode.valueOf(5));
        account.setLeadAttribute(d, "profile", json.readTree("{\"tier\":\"gold\",\"seats\":3}"));
        sync(false, "leads");
        assertEquals("INTEGER", fieldType("score"));
        assertEquals("JSON", fieldType("profile"));
        assertEquals(Types.BIGINT, columnType("leads", "score"));
        assertEquals(5L, ((Number) lead(a).get("score")).longValue());

        account.setLeadAttribute(b, "score", DoubleNode.valueOf(7.25));
        account.setLeadAttribute(e, "profile", TextNode.valueOf("plain"));
        sync(false, "leads");
        assertEquals("NUMBER", fieldType("score"));
        assertEquals("TEXT", fieldType("profile"));
        assertEquals(Types.DOUBLE, columnType("leads", "score"));
        assertEquals(5.0, ((Number) lead(a).get("score")).doubleValue());
        assertEquals(7.25, ((Number) lead(b).get("score")).doubleValue());
        assertEquals(json.readTree("{\"tier\":\"gold\",\"seats\":3}"), json.readTree((String) lead(d).get("profile")), "JSON kept as its text");
        assertEquals("plain", lead(e).get("profile"));

        account.setLeadAttribute(c, "score", TextNode.valueOf("high"));
        sync(false, "leads");
        assertEquals("TEXT", fieldType("score"));
        assertEquals(Types.VARCHAR, columnType("leads", "score"));
        assertEquals(5.0, Double.parseDouble((String) lead(a).get("score")), "the first value survives two widenings");
        assertEquals(7.25, Double.parseDouble((String) lead(b).get("score")));
        assertEquals("high", lead(c).get("score"));
        assertEquals(0, count("SELECT count(*) FROM " + t("_rejected")), "nothing was refused along the way");
    }

    @Test
    @Order(6)
    void oddNamesAndValuesAreJustColumnsAndText() throws Exception {
        String id = account.liveLeadIds().get(60);
        account.setLeadAttribute(id, ODD_FIELD, TextNode.valueOf(ODD_VALUE));
        account.setLeadAttribute(id, "select", BooleanNode.TRUE);
        // a NUL character, which PostgreSQL text and jsonb cannot hold: the record is stored without it, not refused
        account.setLeadField(id, "nul note", TextNode.valueOf("before\u0000after"));
        sync(false, "leads");

        List<String> columns = columns("leads");
        for (String expected : List.of(ODD_COLUMN, "select", "data__x_drop_table_leads", "data__societe", "data__select", "data__first_name",
                "data__first_name_2", "data__favourite_colour")) {
            assertTrue(columns.contains(expected), expected + " in " + columns);
        }
        Map<String, Object> row = lead(id);
        assertEquals(ODD_VALUE, row.get(ODD_COLUMN));
        assertEquals(Boolean.TRUE, row.get("select"));
        JsonNode data = account.lead(id).get("data");
        assertEquals(text(data.get("x\"; drop table leads; --")), row.get("data__x_drop_table_leads"));
        assertEquals(text(data.get("Société")), row.get("data__societe"));
        assertEquals(text(data.get("first name")), row.get("data__first_name_2"));
        assertEquals(LEADS + 3, count("SELECT count(*) FROM " + t("leads")), "the table is still there");
        assertEquals("beforeafter", json.readTree((String) row.get("data")).get("nul note").asText(), "JSON without the NUL, on every sink");
        assertEquals("beforeafter", ((String) row.get("data__nul_note")).replace("\u0000", ""));
        assertEquals(0, count("SELECT count(*) FROM " + t("_rejected")));
    }

    @Test
    @Order(7)
    void exportToParquetIsReadBackByDuckDbWithTheSameRowsAndValues() throws Exception {
        Path file = env.dir.resolve("exports/leads.parquet");
        SyncTestSupport.Result result = env.cli("export", "leads", "--format", "parquet", "--output", file.toString());
        assertEquals(0, result.exitCode(), result.err());
        assertEquals("exported " + (LEADS + 3) + " rows of leads to " + file, result.out().trim());

        List<Map<String, Object>> stored = rows("SELECT * FROM " + t("leads") + " ORDER BY " + q("id"));
        List<Map<String, Object>> exported = duckDb("SELECT * FROM read_parquet('" + file + "') ORDER BY id");
        assertEquals(stored.size(), exported.size());
        assertEquals(List.copyOf(stored.get(0).keySet()), List.copyOf(exported.get(0).keySet()), "the same columns in the same order");
        for (int i = 0; i < stored.size(); i++) {
            for (String column : stored.get(i).keySet()) {
                assertEquals(normal(stored.get(i).get(column)), normal(exported.get(i).get(column)), "row " + i + ", " + column);
            }
        }
        assertFalse(Files.list(file.getParent()).anyMatch(p -> p.getFileName().toString().endsWith(".part")), "no partial file is left");
    }

    @Test
    @Order(8)
    void exportToCsvWithACondition() throws Exception {
        Path file = env.dir.resolve("exports/live-leads.csv");
        SyncTestSupport.Result result = env.cli("export", "leads", "--output", file.toString(), "--where", "\"_deleted_at\" IS NULL");
        assertEquals(0, result.exitCode(), result.err());
        long live = count("SELECT count(*) FROM " + t("leads") + " WHERE " + q("_deleted_at") + " IS NULL");
        assertEquals("exported " + live + " rows of leads to " + file, result.out().trim());

        String id = account.liveLeadIds().get(60);
        List<Map<String, Object>> read = duckDb("SELECT count(*) AS n, max(CASE WHEN id = '" + id + "' THEN \"" + ODD_COLUMN + "\" END) AS odd"
                + " FROM read_csv('" + file + "', header = true, all_varchar = true, allow_quoted_nulls = false)");
        assertEquals(live, ((Number) read.get(0).get("n")).longValue());
        assertEquals(ODD_VALUE, read.get(0).get("odd"), "quotes, commas and line breaks survive the CSV");
    }

    @Test
    @Order(9)
    void exportRefusesWhatItCannotDoInOneLine() {
        Path file = env.dir.resolve("exports/nothing.parquet");
        SyncTestSupport.Result unknown = env.cli("export", "nope", "--output", file.toString());
        assertNotEquals(0, unknown.exitCode());
        assertTrue(unknown.err().startsWith("error: unknown stream nope"), unknown.err());
        assertEquals(1, unknown.err().strip().lines().count(), unknown.err());

        SyncTestSupport.Result neverSynced = env.cli("export", "tags", "--output", file.toString());
        assertNotEquals(0, neverSynced.exitCode());
        assertTrue(neverSynced.err().contains("no table tags"), neverSynced.err());
        assertFalse(Files.exists(file));
    }

    // --- helpers -----------------------------------------------------------------------------------

    void assertLeadStored(String id) throws Exception {
        assertLeadStored(id, lead(id));
    }

    void assertLeadStored(String id, Map<String, Object> row) throws Exception {
        JsonNode lead = account.lead(id);
        assertNotNull(row, id + " is stored");
        for (String field : List.of("status", "owner_id", "creator_id")) assertEquals(text(lead.get(field)), row.get(field), id + " " + field);
        for (String field : List.of("bounced", "optedout")) assertEquals(lead.get(field).booleanValue(), row.get(field), id + " " + field);
        for (String field : List.of("sent_count", "replied_count")) {
            assertEquals(lead.get(field).isNull() ? null : lead.get(field).longValue(), row.get(field) == null ? null : ((Number) row.get(field)).longValue(),
                    id + " " + field);
        }
        JsonNode sent = lead.get("last_sent_at");
        assertEquals(sent.isNull() ? null : OffsetDateTime.parse(sent.asText()).toInstant(), row.get("last_sent_at"), id + " last_sent_at");
        assertEquals(lead.get("data"), json.readTree((String) row.get("data")), id + " data");
        JsonNode data = lead.get("data");
        for (String field : List.of("first_name", "email", "title", "snippet2")) {
            assertEquals(text(data.get(field)), row.get("data__" + field), id + " data." + field);
        }
        assertNull(row.get("_deleted_at"));
    }

    Map<String, Object> lead(String id) throws SQLException {
        List<Map<String, Object>> found = rows("SELECT * FROM " + t("leads") + " WHERE " + q("id") + " = '" + id + "'");
        return found.isEmpty() ? null : found.get(0);
    }

    String fieldType(String field) throws SQLException {
        return (String) rows("SELECT column_type FROM " + t("_fields") + " WHERE stream = 'leads' AND field = '" + field + "'").get(0).get("column_type");
    }

    String t(String table) {
        return q(schema()) + "." + q(table);
    }

    static String q(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    long count(String sql) throws SQLException {
        return ((Number) rows(sql).get(0).values().iterator().next()).longValue();
    }

    List<Map<String, Object>> rows(String sql) throws SQLException {
        try (Connection c = connect()) {
            return query(c, sql);
        }
    }

    static List<Map<String, Object>> duckDb(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            return query(c, sql);
        }
    }

    /**
     * Rows as column (lower case) -> value, values in one form whatever the database: numbers,
     * booleans, Instants for timestamps, text for the rest (JSON included).
     */
    static List<Map<String, Object>> query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<Map<String, Object>> out = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) row.put(md.getColumnLabel(i).toLowerCase(Locale.ROOT), value(rs, i, md.getColumnType(i)));
                out.add(row);
            }
            return out;
        }
    }

    private static Object value(ResultSet rs, int i, int type) throws SQLException {
        Object value = switch (type) {
            case Types.BOOLEAN, Types.BIT -> rs.getBoolean(i);
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> rs.getLong(i);
            case Types.REAL, Types.FLOAT, Types.DOUBLE, Types.NUMERIC, Types.DECIMAL -> rs.getObject(i) == null ? null : rs.getDouble(i);
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> instant(rs.getObject(i));
            default -> rs.getString(i);
        };
        return rs.wasNull() ? null : value;
    }

    private static Instant instant(Object value) {
        if (value == null) return null;
        if (value instanceof OffsetDateTime t) return t.toInstant();
        if (value instanceof Timestamp t) return t.toInstant();
        if (value instanceof LocalDateTime t) return t.toInstant(ZoneOffset.UTC);
        throw new IllegalArgumentException("not a timestamp: " + value.getClass());
    }

    /** A value compared by meaning: numbers by value, JSON text by its tree. */
    Object normal(Object value) {
        if (value instanceof Number n) return new BigDecimal(n.toString()).stripTrailingZeros();
        if (value instanceof String s && (s.startsWith("{") || s.startsWith("["))) {
            try {
                return json.readTree(s);
            } catch (Exception e) {
                return s;
            }
        }
        return value;
    }

    List<String> columns(String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(); ResultSet rs = c.getMetaData().getColumns(null, schema(), table, null)) {
            while (rs.next()) if (table.equals(rs.getString("TABLE_NAME"))) out.add(rs.getString("COLUMN_NAME"));
        }
        return out;
    }

    int columnType(String table, String column) throws SQLException {
        try (Connection c = connect(); ResultSet rs = c.getMetaData().getColumns(null, schema(), table, column)) {
            while (rs.next()) {
                if (table.equals(rs.getString("TABLE_NAME")) && column.equals(rs.getString("COLUMN_NAME"))) return rs.getInt("DATA_TYPE");
            }
        }
        throw new AssertionError("no column " + table + "." + column);
    }
}
