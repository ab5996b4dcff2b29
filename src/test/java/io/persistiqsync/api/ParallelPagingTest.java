package io.persistiqsync.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.persistiqsync.SyncTestSupport;
import io.persistiqsync.simulator.RecordedRequest;
import io.persistiqsync.simulator.SimulatorSettings;
import io.persistiqsync.sync.SyncReport;

/**
 * Where latency x rate > 1, pages are asked for ahead (up to persistiq.page-concurrency), still paced
 * under the API's limit, and every record is loaded exactly once, page after page.
 */
class ParallelPagingTest {

    @Test
    void pagesAreFetchedAheadUnderTheLimitAndLoadedExactlyOnce() throws Exception {
        try (SyncTestSupport env = new SyncTestSupport(SimulatorSettings.builder().users(1).leads(2000).campaigns(1)
                .latency(Duration.ofMillis(300)).rateLimitPerWindow(12).rateLimitWindow(Duration.ofSeconds(1)))) {
            env.set("persistiq.page-concurrency", "4").set("persistiq.max-requests-per-minute", "600").set("cache.pages-per-commit", "3");
            SyncReport report = env.sync("leads");

            assertTrue(report.succeeded(), () -> report.results().toString());
            assertEquals(2000, report.result("leads").created());
            assertEquals(20, report.result("leads").pages());
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
