package io.persistiqsync.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.persistiqsync.SyncTestSupport;
import io.persistiqsync.simulator.RecordedRequest;
import io.persistiqsync.simulator.SimulatorSettings;
import io.persistiqsync.runtime.SyncRuntime;
import io.persistiqsync.sync.SyncReport;
import io.persistiqsync.sync.SyncRequest;
import io.persistiqsync.sync.SyncSession;

/**
 * Where latency x rate > 1, pages are asked for ahead (up to persistiq.page-concurrency), still paced
 * under the API's limit, and every record is loaded exactly once, page after page.
 */
@Tag("integration")
class ParallelPagingTest {

    @Test
    void pagesAreFetchedAheadUnderTheLimitAndLoadedExactlyOnce() throws Exception {
        try (SyncTestSupport env = new SyncTestSupport(SimulatorSettings.builder().users(1).leads(2000).campaigns(1)
                .latency(Duration.ofMillis(300)).rateLimitPerWindow(12).rateLimitWindow(Duration.ofSeconds(1)))) {
            env.set("persistiq.page-concurrency", "4").set("persistiq.max-requests-per-minute", "600").set("cache.pages-per-commit", "3");
            SyncReport report = env.sync("leads");

            assertTrue(report.succeeded(), () -> report.results().toString());
            assertEquals(2000, report.result("leads").counts().created());
            assertEquals(20, report.result("leads").counts().pages());
            assertEquals(new HashSet<>(env.simulator.account().liveLeadIds()),
                    new HashSet<>(env.rows("SELECT id FROM leads").stream().map(r -> r.get("id")).toList()));
            assertEquals(2000, env.count("SELECT count(*) FROM _record_state"));
            assertEquals(0, env.simulator.requests().rateLimited(), "paced under the API's limit");

            List<RecordedRequest> leads = env.simulator.requests().requests().stream().filter(r -> r.path().equals("/v1/leads")).toList();
            assertTrue(leads.size() <= 20 + 3, "at most page-concurrency - 1 pages asked for past the end: " + leads.size());
            assertEquals(20, leads.stream().map(r -> r.query().get("page")).distinct().filter(p -> Integer.parseInt(p) <= 20).count(),
                    "each page once");
            assertTrue(maxInFlight(leads, Duration.ofMillis(300)) >= 2, "requests overlapped (latency 300 ms, pace 100 ms)");
        }
    }

    /**
     * Look-ahead starts only when an answer says more pages follow: a stream or partition of one page
     * (here: the campaigns, and each campaign's leads) costs one request even where latency x rate > 1.
     */
    @Test
    void onePageStreamsAndPartitionsCostOneRequestEach() throws Exception {
        try (SyncTestSupport env = new SyncTestSupport(SimulatorSettings.builder().users(1).leads(200).campaigns(5).campaignLeadsPerCampaign(20)
                .latency(Duration.ofMillis(200)).rateLimitPerWindow(12).rateLimitWindow(Duration.ofSeconds(1)))) {
            env.set("persistiq.page-concurrency", "4").set("persistiq.max-requests-per-minute", "600");
            SyncReport report = env.sync("campaigns", "campaign_leads");

            assertTrue(report.succeeded(), () -> report.results().toString());
            List<RecordedRequest> requests = env.simulator.requests().requests();
            assertEquals(1, requests.stream().filter(r -> r.path().equals("/v1/campaigns")).count(), "one page, one request");
            List<RecordedRequest> enrolled = requests.stream().filter(r -> r.path().endsWith("/leads")).toList();
            assertEquals(5, enrolled.size(), "one request per campaign: " + enrolled.stream().map(RecordedRequest::path).toList());
            assertEquals(5 * 20, env.count("SELECT count(*) FROM campaign_leads"));
            assertEquals(0, env.simulator.requests().rateLimited());
        }
    }

    /**
     * A run stopped (SIGTERM) with pages asked for ahead leaves their answers behind; the next sync in
     * the same runtime resumes at the checkpoint and must ask for those pages again, not load answers
     * from before the data changed.
     */
    @Test
    void aResumedSyncAsksAgainForPagesAStoppedRunHadAskedAhead() throws Exception {
        try (SyncTestSupport env = new SyncTestSupport(SimulatorSettings.builder().users(1).leads(1000).campaigns(1)
                .latency(Duration.ofMillis(200)))) {
            env.set("persistiq.page-concurrency", "4").set("persistiq.max-requests-per-minute", "6000").set("cache.pages-per-commit", "1");
            long stoppedPages;
            try (SyncRuntime runtime = env.start()) {
                SyncSession session = runtime.context().getRegistry().lookupByNameAndType("syncSession", SyncSession.class);
                session.stopWhen(() -> leadRequests(env) >= 4);
                SyncReport stopped = runtime.sync(new SyncRequest(StreamCatalog.select(List.of("leads")), false, false));
                assertEquals("interrupted", stopped.result("leads").status(), () -> stopped.results().toString());
                stoppedPages = stopped.result("leads").counts().pages();
                assertTrue(stoppedPages < 10, "stopped midway");

                env.simulator.account().editLeads(1000);
                session.stopWhen(() -> false);
                SyncReport resumed = runtime.sync(new SyncRequest(StreamCatalog.select(List.of("leads")), false, false));
                assertTrue(resumed.succeeded(), () -> resumed.results().toString());
            }
            String resumedRun = "_sync_id = (SELECT max(_sync_id) FROM leads)";
            assertEquals(1000 - 100L * stoppedPages, env.count("SELECT count(*) FROM leads WHERE " + resumedRun), "the resumed run read the rest");
            assertEquals(0, env.count("SELECT count(*) FROM leads WHERE " + resumedRun + " AND data__title NOT LIKE 'Edited title%'"),
                    "every lead the resumed run loaded is as the API shows it now");
        }
    }

    private static long leadRequests(SyncTestSupport env) {
        return env.simulator.requests().requests().stream().filter(r -> r.path().equals("/v1/leads")).count();
    }

    /** The most requests received within any window of the latency's length. */
    private static int maxInFlight(List<RecordedRequest> requests, Duration latency) {
        int max = 0;
        for (RecordedRequest r : requests) {
            Instant from = r.receivedAt();
            int n = (int) requests.stream().filter(o -> !o.receivedAt().isBefore(from) && o.receivedAt().isBefore(from.plus(latency))).count();
            max = Math.max(max, n);
        }
        return max;
    }
}
