package io.persistiqsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.persistiqsync.SyncTestSupport;
import io.persistiqsync.simulator.SimulatorSettings;

/** A first sync of users, leads and campaigns over several pages lands every record and field as specified. */
class FullSyncTest {
    static SyncTestSupport env;
    static SyncReport report;

    @BeforeAll
    static void syncOnce() throws Exception {
        env = new SyncTestSupport(SimulatorSettings.builder().users(3).leads(250).campaigns(120));
        report = env.sync("users", "leads", "campaigns", "lead_fields", "lead_statuses");
    }

    @AfterAll
    static void stop() {
        env.close();
    }

    @Test
    void everyStreamSucceedsWithEveryRecordOnce() throws Exception {
        assertTrue(report.succeeded(), () -> "report: " + report.results());
        assertEquals(250, env.count("SELECT count(*) FROM leads"));
        assertEquals(250, env.count("SELECT count(DISTINCT id) FROM leads"));
        assertEquals(3, env.count("SELECT count(*) FROM users"));
        assertEquals(120, env.count("SELECT count(*) FROM campaigns"));
        assertEquals(250, report.result("leads").counts().created());
        assertEquals(3, report.result("leads").counts().pages(), "250 leads at 100 a page");
        assertEquals(1, report.result("users").counts().pages(), "a single-page users answer");
        assertEquals(2, report.result("campaigns").counts().pages());
        assertEquals(0, env.count("SELECT count(*) FROM leads WHERE _synced_at IS NULL OR _sync_id IS NULL OR _deleted_at IS NOT NULL"));
    }

    @Test
    void leadFieldsLandTypedAndFlattened() throws Exception {
        String id = env.simulator.account().liveLeadIds().get(42);
        JsonNode lead = env.simulator.account().lead(id);
        Map<String, Object> row = env.rows("SELECT * FROM leads WHERE id = '" + id + "'").get(0);
        assertEquals(text(lead.get("status")), row.get("status"));
        assertEquals(text(lead.get("owner_id")), row.get("owner_id"));
        assertEquals(lead.get("data"), new ObjectMapper().readTree((String) env.rows("SELECT data::VARCHAR AS d FROM leads WHERE id = '" + id + "'").get(0).get("d")));
        assertEquals(text(lead.path("data").get("first_name")), row.get("data__first_name"));
        if (lead.get("sent_count").isNull()) assertNull(row.get("sent_count"));
        else assertEquals(lead.get("sent_count").asLong(), ((Number) row.get("sent_count")).longValue());
        JsonNode sent = lead.get("last_sent_at");
        Object stored = env.rows("SELECT epoch_ms(last_sent_at) AS t FROM leads WHERE id = '" + id + "'").get(0).get("t");
        if (sent.isNull()) assertNull(stored);
        else assertEquals(OffsetDateTime.parse(sent.asText()).toInstant().toEpochMilli(), ((Number) stored).longValue());
    }

    @Test
    void oddCustomFieldNamesAreJustColumns() throws Exception {
        List<String> columns = env.columns("leads");
        assertTrue(columns.contains("data__x_drop_table_leads"), columns::toString);
        assertTrue(columns.contains("data__societe"), columns::toString);
        assertTrue(columns.contains("data__first_name") && columns.contains("data__first_name_2"),
                "'first name' collides with first_name and gets a suffix: " + columns);
        assertTrue(env.count("SELECT count(*) FROM leads WHERE data__x_drop_table_leads IS NOT NULL") > 0);
        assertEquals(250, env.count("SELECT count(*) FROM leads"), "the table is still there");
    }

    @Test
    void campaignsKeepNestedObjectsAsJson() throws Exception {
        String id = env.simulator.account().campaignIds().get(0);
        Map<String, Object> row = env.rows("SELECT name, creator::VARCHAR AS creator, stats->>'total_prospects' AS total FROM campaigns WHERE id = '"
                + id + "'").get(0);
        assertTrue(row.get("creator").toString().contains("\"email\""));
        assertTrue(row.get("total") != null);
    }

    @Test
    void syncRunsRecordEachStream() throws Exception {
        assertEquals(5, env.count("SELECT count(*) FROM _sync_runs WHERE status = 'succeeded'"));
        assertEquals(250, env.count("SELECT records_new FROM _sync_runs WHERE stream = 'leads'"));
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
