package io.persistiqsync.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.TextNode;

import io.persistiqsync.SyncTestSupport;
import io.persistiqsync.simulator.Fault;
import io.persistiqsync.simulator.RecordedRequest;
import io.persistiqsync.simulator.SimulatorSettings;
import io.persistiqsync.sync.StreamResult;
import io.persistiqsync.sync.SyncReport;

/** Rate limits, retries, bad answers and bad records over real HTTP against the simulator's faults. */
@Tag("integration")
class ResilienceTest {
    static final String LEADS = "/v1/leads";
    SyncTestSupport env;

    @BeforeEach
    void start() throws Exception {
        env = new SyncTestSupport(SimulatorSettings.builder().users(3).leads(250).campaigns(3));
    }

    @AfterEach
    void stop() {
        env.close();
    }

    private void assertCleanLeads(SyncReport report) throws Exception {
        assertTrue(report.succeeded(), () -> report.results().toString());
        assertEquals(250, env.count("SELECT count(*) FROM leads"));
        assertEquals(250, env.count("SELECT count(DISTINCT id) FROM leads"));
    }

    private long leadRequestsFor(int page) {
        return env.simulator.requests().requests().stream()
                .filter(r -> r.path().equals(LEADS) && String.valueOf(page).equals(r.query().getOrDefault("page", "1"))).count();
    }

    @Test
    void a429WithHeadersWaitsForTheResetAndAsksForTheSamePageAgain() throws Exception {
        env.simulator.faults().inject(LEADS, Fault.RATE_LIMITED, 1);
        long started = System.nanoTime();
        assertCleanLeads(env.sync("leads"));
        assertEquals(2, leadRequestsFor(1), "page 1 asked twice: the 429, then again");
        assertTrue(System.nanoTime() - started > Duration.ofMillis(300).toNanos(), "waited for X-RateLimit-Reset");
    }

    @Test
    void a429WithoutHeadersFallsBackToTheConfiguredWait() throws Exception {
        env.simulator.faults().inject(LEADS, Fault.RATE_LIMITED_NO_HEADERS, 2);
        assertCleanLeads(env.sync("leads"));
        assertEquals(3, leadRequestsFor(1));
    }

    @Test
    void a429WithRetryAfterIsHonoured() throws Exception {
        env.simulator.faults().inject(LEADS, Fault.RATE_LIMITED_RETRY_AFTER, 1);
        long started = System.nanoTime();
        assertCleanLeads(env.sync("leads"));
        assertTrue(System.nanoTime() - started > Duration.ofMillis(900).toNanos(), "Retry-After: 1 waited a second");
    }

    @Test
    void aHealthySyncUnderTheApisLimitNeverGetsA429() throws Exception {
        env.simulator.setRateLimit(4, Duration.ofSeconds(1));
        assertCleanLeads(env.sync("users", "leads", "campaigns"));
        assertEquals(0, env.simulator.requests().rateLimited(), "paced from X-RateLimit-Remaining/Reset");
    }

    @Test
    void serverErrorsResetsTimeoutsAndBrokenBodiesAreRetried() throws Exception {
        env.set("persistiq.response-timeout", "400");
        env.simulator.faults().inject(LEADS, Fault.SERVER_ERROR_HTML, 1);
        env.simulator.faults().inject(LEADS, Fault.CONNECTION_RESET, 2);
        env.simulator.faults().inject(LEADS, Fault.slow(Duration.ofSeconds(2)), 1);
        env.simulator.faults().inject(LEADS, Fault.MALFORMED_JSON, 1);
        env.simulator.faults().inject(LEADS, Fault.TRUNCATED_JSON, 1);
        env.simulator.faults().inject(LEADS, Fault.MISSING_ARRAY, 1);
        env.set("persistiq.max-attempts", "10");
        assertCleanLeads(env.sync("leads"));
        assertEquals(0, env.simulator.faults().pending());
    }

    @Test
    void aMixOfEveryFaultEndsWithExactlyTheRecordsOfACleanSync() throws Exception {
        env.set("persistiq.response-timeout", "400").set("persistiq.max-attempts", "12").set("cache.pages-per-commit", "1");
        for (Fault f : List.of(Fault.RATE_LIMITED, Fault.RATE_LIMITED_NO_HEADERS, Fault.SERVER_ERROR_HTML, Fault.CONNECTION_RESET,
                Fault.slow(Duration.ofSeconds(2)), Fault.MALFORMED_JSON, Fault.TRUNCATED_JSON, Fault.MISSING_ARRAY, Fault.FOREIGN_NEXT_PAGE)) {
            env.simulator.faults().inject("", f, 1);
        }
        SyncReport report = env.sync("users", "leads", "campaigns");
        assertCleanLeads(report);
        assertEquals(3, env.count("SELECT count(*) FROM users"));
        assertEquals(3, env.count("SELECT count(*) FROM campaigns"));
        assertTrue(env.simulator.requests().requests().stream().allMatch(RecordedRequest::apiKeyMatched));
    }

    @Test
    void whenAttemptsRunOutTheStreamFailsWithOneLineAndOtherStreamsGoOn() throws Exception {
        assertCleanLeads(env.sync("leads"));
        env.simulator.requests().clear();
        env.set("persistiq.max-attempts", "3");
        env.simulator.faults().inject(LEADS, Fault.serverErrorHtml(503), 100);
        SyncReport report = env.sync(true, false, "users", "leads", "campaigns");

        StreamResult leads = report.result("leads");
        assertEquals("failed", leads.status());
        assertTrue(leads.error().startsWith("leads page 1: HTTP 503"), leads.error());
        assertFalse(leads.error().contains("\n"));
        assertEquals("succeeded", report.result("campaigns").status(), "other streams go on");
        assertEquals(3, leadRequestsFor(1), "persistiq.max-attempts = 3");
        assertEquals(250, env.count("SELECT count(*) FROM leads"), "what was committed stays");
        assertEquals(0, env.count("SELECT count(*) FROM leads WHERE _deleted_at IS NOT NULL"), "an incomplete pass marks no deletes");
        assertEquals("failed", env.rows("SELECT status FROM _sync_runs WHERE stream = 'leads' ORDER BY id DESC LIMIT 1").get(0).get("status"));
    }

    @Test
    void aRefusedKeyIsNotRetriedAndWritesNothing() throws Exception {
        env.simulator.faults().inject(LEADS, Fault.UNAUTHORIZED, 1);
        SyncReport report = env.sync("leads");
        assertEquals("failed", report.result("leads").status());
        assertTrue(report.result("leads").error().contains("refused the key"), report.result("leads").error());
        assertEquals(1, env.simulator.requests().count(LEADS), "401 is not retried");
        assertEquals(0, env.count("SELECT count(*) FROM leads"));
    }

    @Test
    void aNextPageThatRepeatsStopsTheStreamInsteadOfLooping() throws Exception {
        env.simulator.faults().inject(LEADS, Fault.REPEAT_NEXT_PAGE, 1);
        SyncReport report = env.sync("leads");
        assertEquals("failed", report.result("leads").status());
        assertTrue(report.result("leads").error().contains("next_page goes back to page 1"), report.result("leads").error());
        assertEquals(1, env.simulator.requests().count(LEADS));
    }

    @Test
    void aForeignNextPageIsAskedOfTheConfiguredHostOnly() throws Exception {
        env.simulator.faults().inject(LEADS, Fault.FOREIGN_NEXT_PAGE, 1);
        assertCleanLeads(env.sync("leads"));
        assertEquals(3, env.simulator.requests().count(LEADS), "page 2 was asked of the simulator itself");
    }

    @Test
    void anEmptyPageThatSaysHasMoreIsFollowed() throws Exception {
        // the simulator answers page 1 empty (its records are not served) and points at page 2
        env.simulator.faults().inject(LEADS, Fault.EMPTY_PAGE_HAS_MORE, 1);
        SyncReport report = env.sync("leads");
        assertTrue(report.succeeded());
        assertEquals(3, report.result("leads").counts().pages());
        assertEquals(150, env.count("SELECT count(*) FROM leads"), "pages 2 and 3 were still read");
    }

    @Test
    void badRecordsGoToRejectedWithTheReasonAndTheSyncGoesOn() throws Exception {
        List<String> ids = env.simulator.account().liveLeadIds();
        env.simulator.account().setLeadAttribute(ids.get(3), "sent_count", TextNode.valueOf("many"));
        env.simulator.account().setLeadAttribute(ids.get(4), "id", null);
        SyncReport report = env.sync("leads");
        assertTrue(report.succeeded());
        assertEquals(2, report.result("leads").counts().rejected());
        assertEquals(248, env.count("SELECT count(*) FROM leads"));
        var rejected = env.rows("SELECT record_id, reason, raw_json FROM _rejected ORDER BY record_id NULLS LAST");
        assertEquals(ids.get(3), rejected.get(0).get("record_id"));
        assertTrue(rejected.get(0).get("reason").toString().contains("sent_count: expected a whole number"), rejected.toString());
        assertTrue(rejected.get(1).get("reason").toString().contains("no id"));
        assertNotNull(rejected.get(1).get("raw_json"));
    }
}
