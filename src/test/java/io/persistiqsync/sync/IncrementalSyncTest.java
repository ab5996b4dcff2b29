package io.persistiqsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.persistiqsync.SyncTestSupport;
import io.persistiqsync.simulator.RecordedRequest;
import io.persistiqsync.simulator.SimulatorSettings;

/** Re-syncs read and write only what changed, see deletes on full passes, and keep state one row per record. */
@Tag("integration")
class IncrementalSyncTest {
    SyncTestSupport env;

    @BeforeEach
    void firstSync() throws Exception {
        env = new SyncTestSupport(SimulatorSettings.builder().users(3).leads(300).campaigns(5));
        SyncReport first = env.sync("users", "leads", "campaigns");
        assertTrue(first.succeeded(), () -> first.results().toString());
        assertEquals(StreamRun.FULL_PASS, first.result("leads").mode());
    }

    @AfterEach
    void stop() {
        env.close();
    }

    @Test
    void aFullPassAskedForWhileAnIncrementalPassIsOpenIsAFullPass() throws Exception {
        // an incremental pass stopped after its first page (a SIGTERM, a kill) is left open
        env.sync("leads");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(env.cacheUrl); java.sql.Statement s = c.createStatement()) {
            s.execute("UPDATE _stream_state SET pass_id = 999, pass_mode = 'incremental', pass_started = 0, checkpoint_page = 1"
                    + " WHERE stream = 'leads'");
        }
        List<String> removed = env.simulator.account().removeLeads(3);

        SyncReport report = env.sync(true, false, "leads");

        assertEquals(StreamRun.FULL_PASS, report.result("leads").mode(), "--full-pass is a full pass, not the open pass resumed");
        assertEquals(3, report.result("leads").counts().deleted());
        for (String id : removed) {
            assertEquals(1, env.count("SELECT count(*) FROM leads WHERE _deleted_at IS NOT NULL AND id = '" + id + "'"), id);
        }
    }

    @Test
    void aSecondSyncWithNoChangeWritesNothingAndAsksOnlyForUpdatedLeads() throws Exception {
        String syncedAt = env.rows("SELECT max(_synced_at)::VARCHAR AS t FROM leads").get(0).get("t").toString();
        env.simulator.requests().clear();
        SyncReport second = env.sync("users", "leads", "campaigns");

        StreamResult leads = second.result("leads");
        assertEquals(StreamRun.INCREMENTAL, leads.mode());
        assertEquals(0, leads.counts().created() + leads.counts().changed());
        assertEquals(0, second.result("users").counts().created() + second.result("users").counts().changed());
        assertEquals(0, second.result("campaigns").counts().created() + second.result("campaigns").counts().changed());
        assertEquals(syncedAt, env.rows("SELECT max(_synced_at)::VARCHAR AS t FROM leads").get(0).get("t").toString(), "no row rewritten");
        List<RecordedRequest> leadRequests = env.simulator.requests().requests().stream().filter(r -> r.path().equals("/v1/leads")).toList();
        assertEquals(1, leadRequests.size(), "nothing changed: one page of updated leads");
        assertTrue(leadRequests.get(0).query().containsKey("updated_after"), leadRequests::toString);
        assertTrue(leadRequests.get(0).query().get("updated_after").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d[+-]\\d\\d:\\d\\d"),
                "formatted as the contract shows: " + leadRequests.get(0).query());
    }

    @Test
    void editsAndAdditionsAreCountedExactlyAndStored() throws Exception {
        List<String> edited = env.simulator.account().editLeads(7);
        List<String> added = env.simulator.account().addLeads(5);
        SyncReport report = env.sync("leads");

        StreamResult leads = report.result("leads");
        assertEquals(StreamRun.INCREMENTAL, leads.mode());
        assertEquals(5, leads.counts().created());
        assertEquals(7, leads.counts().changed());
        assertEquals(305, env.count("SELECT count(*) FROM leads"));
        for (String id : edited) {
            String expected = env.simulator.account().lead(id).get("data").toString();
            String stored = env.rows("SELECT data::VARCHAR AS d FROM leads WHERE id = '" + id + "'").get(0).get("d").toString();
            assertEquals(new com.fasterxml.jackson.databind.ObjectMapper().readTree(expected),
                    new com.fasterxml.jackson.databind.ObjectMapper().readTree(stored), "edited lead " + id + " stored with its new values");
        }
        assertEquals(5, env.count("SELECT count(*) FROM leads WHERE id IN ('" + String.join("','", added) + "')"));
    }

    @Test
    void aChangeToTheFirstRecordOfAPageRewritesOnlyThatRecord() throws Exception {
        String first = env.simulator.account().liveLeadIds().get(0);
        env.simulator.account().setLeadField(first, "title", com.fasterxml.jackson.databind.node.TextNode.valueOf("Chief Tester"));
        env.simulator.account().addLeads(150); // two more pages of updated leads, all new
        SyncReport report = env.sync(true, false, "leads");
        StreamResult leads = report.result("leads");
        assertEquals(1, leads.counts().changed(), leads::toString);
        assertEquals(150, leads.counts().created());
        assertEquals(299, leads.counts().unchanged());
        assertEquals(151, env.count("SELECT count(*) FROM leads WHERE _sync_id = (SELECT max(id) FROM _sync_runs WHERE stream = 'leads')"),
                "rows written = rows changed");
    }

    @Test
    void aFullPassMarksExactlyTheRemovedRecordsAndAReturningRecordIsLiveAgain() throws Exception {
        List<String> removed = env.simulator.account().removeLeads(4);
        SyncReport incremental = env.sync("leads");
        assertEquals(0, incremental.result("leads").counts().deleted(), "an incremental read cannot see deletes");
        assertEquals(0, env.count("SELECT count(*) FROM leads WHERE _deleted_at IS NOT NULL"));

        SyncReport fullPass = env.sync(true, false, "leads");
        assertEquals(StreamRun.FULL_PASS, fullPass.result("leads").mode());
        assertEquals(4, fullPass.result("leads").counts().deleted());
        assertEquals(4, env.count("SELECT count(*) FROM leads WHERE _deleted_at IS NOT NULL AND id IN ('" + String.join("','", removed) + "')"));
        assertEquals(300, env.count("SELECT count(*) FROM leads"), "deleted records are marked, not dropped");

        env.simulator.account().restoreLead(removed.get(0));
        env.sync("leads");
        assertNull(env.rows("SELECT _deleted_at FROM leads WHERE id = '" + removed.get(0) + "'").get(0).get("_deleted_at"));
        assertNotNull(env.rows("SELECT _deleted_at FROM leads WHERE id = '" + removed.get(1) + "'").get(0).get("_deleted_at"));
    }

    @Test
    void usersAndCampaignsAreReadWholeSoTheirDeletesShowEverySync() throws Exception {
        String user = env.simulator.account().userIds().get(0);
        env.simulator.account().removeUser(user);
        SyncReport report = env.sync("users");
        assertEquals(1, report.result("users").counts().deleted());
        assertNotNull(env.rows("SELECT _deleted_at FROM users WHERE id = '" + user + "'").get(0).get("_deleted_at"));
    }

    @Test
    void fullRefreshRewritesEverything() throws Exception {
        SyncReport report = env.sync(false, true, "leads");
        StreamResult leads = report.result("leads");
        assertEquals(StreamRun.FULL_REFRESH, leads.mode());
        assertEquals(300, leads.counts().created() + leads.counts().changed());
        assertEquals(0, leads.counts().unchanged());
        SyncReport after = env.sync("leads");
        assertEquals(StreamRun.INCREMENTAL, after.result("leads").mode(), "a full refresh leaves a watermark behind");
    }

    @Test
    void stateHasOneRowPerRecordHoweverManySyncsRan() throws Exception {
        for (int i = 0; i < 3; i++) {
            env.simulator.account().editLeads(10);
            env.simulator.account().addLeads(2);
            env.sync(i == 1, false, "users", "leads", "campaigns");
        }
        long records = env.count("SELECT count(*) FROM leads") + env.count("SELECT count(*) FROM users") + env.count("SELECT count(*) FROM campaigns");
        assertEquals(records, env.count("SELECT count(*) FROM _record_state"));
        assertEquals(306, env.count("SELECT count(*) FROM leads"));
    }
}
