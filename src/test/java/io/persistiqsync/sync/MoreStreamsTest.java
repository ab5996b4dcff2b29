package io.persistiqsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.persistiqsync.SyncTestSupport;
import io.persistiqsync.simulator.RecordedRequest;
import io.persistiqsync.simulator.SimulatorSettings;

/** Every readable list beyond users, leads and campaigns, with child streams fanned out per campaign. */
@Tag("integration")
class MoreStreamsTest {
    static final String[] ALL = {"users", "lead_fields", "lead_statuses", "leads", "campaigns", "campaign_leads", "replies", "events",
            "dnc_domains", "tags"};
    SyncTestSupport env;

    @BeforeEach
    void start() throws Exception {
        env = new SyncTestSupport(SimulatorSettings.builder().users(2).leads(150).campaigns(3).campaignLeadsPerCampaign(120)
                .repliesPerCampaign(4).events(700).dncDomains(130).tags(5));
    }

    @AfterEach
    void stop() {
        env.close();
    }

    @Test
    void aFullSyncOfEveryStreamLandsEveryRecord() throws Exception {
        SyncReport report = env.sync(ALL);
        assertTrue(report.succeeded(), () -> report.results().toString());
        assertEquals(360, env.count("SELECT count(*) FROM campaign_leads"));
        assertEquals(6, report.result("campaign_leads").counts().pages(), "120 per campaign: two pages each, three campaigns");
        assertEquals(0, env.count("SELECT count(*) FROM campaign_leads WHERE campaign_id IS NULL OR lead_id IS NULL OR lead IS NULL"));
        assertEquals(12, env.count("SELECT count(*) FROM replies"));
        assertEquals(700, env.count("SELECT count(*) FROM events"));
        assertEquals(2, report.result("events").counts().pages(), "500 events a page");
        assertTrue(env.count("SELECT count(*) FROM events WHERE kind IS NOT NULL AND event_at IS NOT NULL") > 0, "the documented shape");
        assertTrue(env.count("SELECT count(*) FROM events WHERE event_type IS NOT NULL AND created_at IS NOT NULL") > 0, "the OpenAPI shape");
        assertEquals(130, env.count("SELECT count(*) FROM dnc_domains"));
        assertEquals(5, env.count("SELECT count(*) FROM tags"));
        assertTrue(env.count("SELECT count(*) FROM lead_statuses") > 0);
        assertEquals(env.count("SELECT count(*) FROM lead_fields"),
                env.count("SELECT count(DISTINCT field) FROM _fields WHERE stream = 'leads' AND field LIKE 'data.%'"),
                "every defined lead field has its data__ column");
    }

    @Test
    void theReadmeJoinOfCampaignLeadsLeadsAndCampaignsWorks() throws Exception {
        env.sync(ALL);
        var rows = env.rows("""
                SELECT c.name AS campaign, l.status, count(*) AS leads
                FROM campaign_leads cl
                JOIN leads l ON l.id = cl.lead_id
                JOIN campaigns c ON c.id = cl.campaign_id
                WHERE cl._deleted_at IS NULL
                GROUP BY 1, 2 ORDER BY 1, 2""");
        assertTrue(rows.size() > 1, rows::toString);
        assertEquals(env.count("SELECT count(*) FROM campaign_leads cl JOIN leads l ON l.id = cl.lead_id"),
                rows.stream().mapToLong(r -> ((Number) r.get("leads")).longValue()).sum());
    }

    @Test
    void aLeadFieldDefinedBeforeAnyLeadHasAValueStillHasItsColumn() throws Exception {
        env.simulator.account().addCustomLeadField("Budget (Q4)");
        env.sync("lead_fields", "leads");
        assertTrue(env.columns("leads").contains("data__budget_q4"), env.columns("leads")::toString);
    }

    @Test
    void eventsAndRepliesReadIncrementallyWithStartAt() throws Exception {
        env.sync(ALL);
        env.simulator.requests().clear();
        SyncReport second = env.sync("campaigns", "replies", "events");
        assertEquals(StreamRun.INCREMENTAL, second.result("events").mode());
        assertEquals(StreamRun.INCREMENTAL, second.result("replies").mode());
        List<RecordedRequest> filtered = env.simulator.requests().requests().stream()
                .filter(r -> r.path().equals("/v1/events") || r.path().endsWith("/replies")).toList();
        assertEquals(4, filtered.size(), "one page of events, one of replies per campaign: " + filtered);
        assertTrue(filtered.stream().allMatch(r -> r.query().containsKey("start_at")), filtered::toString);
        assertEquals(0, second.result("events").counts().created() + second.result("events").counts().changed());
    }

    @Test
    void aCampaignGoneMidSyncIsRecordedNotFatalAndItsLeadsAreMarkedDeleted() throws Exception {
        env.sync("campaigns", "campaign_leads");
        String gone = env.simulator.account().campaignIds().get(1);
        env.simulator.account().removeCampaign(gone);
        SyncReport report = env.sync("campaign_leads");
        StreamResult result = report.result("campaign_leads");
        assertEquals("succeeded", result.status(), result::toString);
        assertNotNull(result.error());
        assertTrue(result.error().contains(gone), result.error());
        assertEquals(120, result.counts().deleted());
        assertEquals(120, env.count("SELECT count(*) FROM campaign_leads WHERE _deleted_at IS NOT NULL AND campaign_id = '" + gone + "'"));
        assertEquals(240, env.count("SELECT count(*) FROM campaign_leads WHERE _deleted_at IS NULL"));
    }
}
