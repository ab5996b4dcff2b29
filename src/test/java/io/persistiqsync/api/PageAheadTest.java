package io.persistiqsync.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.persistiqsync.routes.RouteNames;

/**
 * {@link PageAhead} against a stand-in for the request route whose answers the test releases page by
 * page: when pages are asked for ahead, how many, and that the sync still gets every page once, in order.
 * Every wait is on an outcome (a request seen, an answer handed over), bounded by a timeout.
 */
class PageAheadTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private CamelContext context;
    /** pages asked for, in the order they reached the "server" */
    private final List<Integer> requested = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<Integer, CompletableFuture<Void>> gates = new ConcurrentHashMap<>();
    private final AtomicInteger answered = new AtomicInteger();
    private volatile boolean releaseAll;
    /** the stream's last page */
    private volatile int lastPage = 100;

    @BeforeEach
    void start() throws Exception {
        context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(RouteNames.REQUEST_PAGE_WITH_RETRIES).process(e -> {
                    int page = Integer.parseInt(e.getProperty(RouteNames.PAGE_QUERY, String.class).replaceAll(".*page=(\\d+).*", "$1"));
                    requested.add(page);
                    gate(page).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    ObjectNode body = JsonNodeFactory.instance.objectNode();
                    body.put("has_more", page < lastPage);
                    body.putArray("leads").addObject().put("id", "l_" + page);
                    e.getMessage().setBody(body);
                    answered.incrementAndGet();
                });
            }
        });
        context.start();
    }

    @AfterEach
    void stop() {
        releaseAll = true;
        gates.values().forEach(g -> g.complete(null));
        context.stop();
    }

    private CompletableFuture<Void> gate(int page) {
        CompletableFuture<Void> gate = gates.computeIfAbsent(page, p -> new CompletableFuture<>());
        if (releaseAll) gate.complete(null);
        return gate;
    }

    private void release(int... pages) {
        for (int p : pages) gate(p).complete(null);
    }

    /** A pacer with no pace to speak of that has seen a latency of a second: latency x rate is far above 1. */
    private static RatePacer slowAnswers() {
        RatePacer pacer = new RatePacer(600_000, Duration.ofSeconds(1));
        pacer.noteLatency(1000);
        return pacer;
    }

    private static PageRequest page(int n) {
        return new PageRequest("leads", "/v1/leads", "leads", true, n, "updated_after", "2024-01-01T00:00:00Z");
    }

    private CompletableFuture<String> fetchAsync(PageAhead ahead, int n) {
        return CompletableFuture.supplyAsync(() -> {
            Exchange exchange = new DefaultExchange(context);
            try {
                ahead.fetch(exchange, page(n));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return exchange.getMessage().getBody(JsonNode.class).get("leads").get(0).get("id").asText();
        });
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out waiting for " + what);
            Thread.sleep(5);
        }
    }

    private List<Integer> requested() {
        synchronized (requested) {
            return List.copyOf(requested);
        }
    }

    @Test
    void lookAheadStartsWhenThePageOneAnswerSaysMoreAndRefillsWhileThePageIsProcessed() throws Exception {
        PageAhead ahead = new PageAhead(context.createProducerTemplate(), slowAnswers(), 4);
        CompletableFuture<String> first = fetchAsync(ahead, 1);
        await("page 1 asked for", () -> requested().size() == 1);
        assertEquals(List.of(1), requested(), "nothing ahead before an answer says there is more");

        release(1);
        assertEquals("l_1", first.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        // page 1 said more: pages 2..5 go out (4 in flight) although the sync has not asked for page 2 yet
        await("4 pages in flight", () -> requested().size() == 5);

        // the sync is still on page 1 (a slow commit): answers that come in make room for further requests
        release(2, 3);
        await("the pipeline refilled", () -> requested().size() == 7);

        // ... up to the bound: 4 in flight + BUFFERED_PAGES answers waiting, beyond the page the sync is on
        release(4, 5, 6, 7, 8, 9);
        await("the window filled and answered", () -> answered.get() == 9);
        assertEquals(9, requested().size(), "pages 2..9 ahead of page 1, then the requests pause: " + requested());
        assertEquals(8, ahead.pending("leads"));

        // the sync moves on: every page once, in order
        releaseAll = true;
        gates.values().forEach(g -> g.complete(null));
        for (int p = 2; p <= 12; p++) assertEquals("l_" + p, fetchAsync(ahead, p).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        List<Integer> pages = requested();
        assertEquals(pages.size(), pages.stream().distinct().count(), "each page asked for once: " + pages);
        ahead.forget("default", "leads");
    }

    @Test
    void aOnePageStreamCostsOneRequest() throws Exception {
        lastPage = 1;
        releaseAll = true;
        PageAhead ahead = new PageAhead(context.createProducerTemplate(), slowAnswers(), 4);
        assertEquals("l_1", fetchAsync(ahead, 1).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        await("page 1 answered", () -> answered.get() == 1);
        assertEquals(List.of(1), requested());
        assertEquals(0, ahead.pending("leads"));
    }

    @Test
    void pagesComeInOrderAndLittleIsAskedPastTheEnd() throws Exception {
        lastPage = 25;
        releaseAll = true;
        PageAhead ahead = new PageAhead(context.createProducerTemplate(), slowAnswers(), 4);
        for (int p = 1; p <= 25; p++) assertEquals("l_" + p, fetchAsync(ahead, p).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        ahead.forget("default", "leads");
        List<Integer> pages = requested();
        assertEquals(pages.size(), pages.stream().distinct().count(), "each page once: " + pages);
        assertTrue(pages.containsAll(java.util.stream.IntStream.rangeClosed(1, 25).boxed().toList()));
        assertTrue(pages.size() <= 25 + 3, "at most page-concurrency - 1 past the end: " + pages);
    }

    @Test
    void oneAtATimeWhereLatencyTimesRateIsAtMostOne() throws Exception {
        lastPage = 5;
        releaseAll = true;
        RatePacer pacer = new RatePacer(100, Duration.ofSeconds(1)); // 600 ms apart
        pacer.noteLatency(150);
        PageAhead ahead = new PageAhead(context.createProducerTemplate(), pacer, 4);
        for (int p = 1; p <= 2; p++) {
            assertEquals("l_" + p, fetchAsync(ahead, p).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            int expected = p;
            await("page " + p + " answered", () -> answered.get() == expected);
            assertEquals(p, requested().size(), "only the pages the sync asked for: " + requested());
        }
        ahead.forget("default", "leads");
    }

    @Test
    void pageConcurrencyOneNeverAsksAhead() throws Exception {
        lastPage = 5;
        releaseAll = true;
        PageAhead ahead = new PageAhead(context.createProducerTemplate(), slowAnswers(), 1);
        for (int p = 1; p <= 5; p++) {
            assertEquals("l_" + p, fetchAsync(ahead, p).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            int expected = p;
            await("page " + p + " answered", () -> answered.get() == expected);
            assertEquals(p, requested().size());
        }
        assertFalse(requested().contains(6));
    }

    @Test
    void requestsInFlightFollowLatencyTimesRate() {
        RatePacer pacer = new RatePacer(500, Duration.ofSeconds(1)); // 120 ms apart
        assertEquals(1, pacer.requestsInFlight(4), "latency not known yet");
        pacer.noteLatency(100);
        assertEquals(1, pacer.requestsInFlight(4), "latency x rate <= 1");
        RatePacer slow = new RatePacer(500, Duration.ofSeconds(1));
        slow.noteLatency(200);
        assertEquals(3, slow.requestsInFlight(4), "ceil(200 / 120) + 1");
        assertEquals(2, slow.requestsInFlight(2), "at most page-concurrency");
        RatePacer slower = new RatePacer(500, Duration.ofSeconds(1));
        slower.noteLatency(300);
        assertEquals(4, slower.requestsInFlight(4), "ceil(300 / 120) + 1");
        assertEquals(1, slower.requestsInFlight(1));
    }
}
