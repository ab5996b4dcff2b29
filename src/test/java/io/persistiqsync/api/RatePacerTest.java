package io.persistiqsync.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pacer's reading of the rate-limit headers, without a server: when the next request may start after
 * a given answer (WindowEdgeTest syncs through real window edges).
 */
class RatePacerTest {
    private final CamelContext context = new DefaultCamelContext();
    /** no ceiling to speak of; a 300 ms fallback */
    private final RatePacer pacer = new RatePacer(6_000_000, Duration.ofMillis(300));

    @AfterEach
    void stop() throws Exception {
        context.close();
    }

    /** One request through the pacer, answered with these headers. */
    private Exchange answered(int status, Map<String, Object> headers) throws InterruptedException {
        Exchange exchange = new DefaultExchange(context);
        pacer.awaitPermit(exchange);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeaders(new java.util.HashMap<>(headers));
        pacer.observe(exchange.getMessage());
        if (status == 429) pacer.onRateLimited(exchange.getMessage());
        return exchange;
    }

    /** An answer to a request the pacer did not start (no permit): only its headers count. */
    private void observed(Map<String, Object> headers) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setHeaders(new java.util.HashMap<>(headers));
        pacer.observe(exchange.getMessage());
    }

    private static long nowSecond() {
        return System.currentTimeMillis() / 1000;
    }

    @Test
    void aSpentWindowWithAWholeSecondResetHoldsASecondPastIt() throws Exception {
        long reset = nowSecond() + 2;
        answered(200, Map.of("X-RateLimit-Limit", "30", "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", Long.toString(reset)));
        assertEquals(reset * 1000 + 1000 + RatePacer.RESET_MARGIN_MILLIS, pacer.nextStart(), "the window may end up to a second after the reset");
    }

    @Test
    void aResetBelowAnEpochSecondIsSecondsFromNow() throws Exception {
        long before = System.currentTimeMillis();
        answered(200, Map.of("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "5"));
        long next = pacer.nextStart();
        assertTrue(next >= before + 6_000 + RatePacer.RESET_MARGIN_MILLIS && next <= System.currentTimeMillis() + 6_000 + RatePacer.RESET_MARGIN_MILLIS,
                "5 s from the answer, + 1 s for whole seconds: " + (next - before));
    }

    @Test
    void aResetInEpochMillisecondsNeedsNoWholeSecondSlack() throws Exception {
        long reset = System.currentTimeMillis() + 2_345;
        answered(200, Map.of("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", Long.toString(reset)));
        assertEquals(reset + RatePacer.RESET_MARGIN_MILLIS, pacer.nextStart());
    }

    @Test
    void remainingZeroWithoutAResetWaitsTheFallback() throws Exception {
        long before = System.currentTimeMillis();
        answered(200, Map.of("X-RateLimit-Limit", "500", "X-RateLimit-Remaining", "0"));
        assertTrue(pacer.nextStart() >= before + 300, "the fallback wait");
    }

    @Test
    void aLimitLowerThanOursIsSpreadOverTheWindow() throws Exception {
        long reset = nowSecond() + 30;
        answered(200, Map.of("X-RateLimit-Limit", "10", "X-RateLimit-Remaining", "9", "X-RateLimit-Reset", Long.toString(reset)));
        long gap = pacer.nextStart() - System.currentTimeMillis();
        long perRequest = (reset * 1000 - System.currentTimeMillis()) / 10;
        assertTrue(gap >= perRequest - 50 && gap <= perRequest + 50, "9 left over ~30 s: one every ~3 s, not at once: " + gap);
    }

    @Test
    void withRequestsLeftAndNoLimitAnnouncedTheNextGoesAtOnce() throws Exception {
        answered(200, Map.of("X-RateLimit-Remaining", "50", "X-RateLimit-Reset", Long.toString(nowSecond() + 1)));
        assertTrue(pacer.nextStart() <= System.currentTimeMillis() + 25, "50 left in about a second");
    }

    @Test
    void a429WithRetryAfterAndResetWaitsForTheLater() throws Exception {
        long reset = nowSecond() + 3;
        long before = System.currentTimeMillis();
        answered(429, Map.of("Retry-After", "1", "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", Long.toString(reset)));
        assertEquals(reset * 1000 + 1000 + RatePacer.RESET_MARGIN_MILLIS, pacer.nextStart());
        assertEquals(1, pacer.rateLimited());
        assertTrue(before < reset * 1000);
    }

    @Test
    void a429ForAWindowThatShouldBeOverTeachesTheApisClockLag() throws Exception {
        // the API says its window ended 5 s ago, yet refuses: its clock is behind ours
        long past = nowSecond() - 5;
        answered(429, Map.of("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", Long.toString(past)));
        long held = pacer.nextStart() - System.currentTimeMillis();
        assertTrue(held >= 900, "held a second more than the lag seen: " + held);

        // later windows are read with that lag
        long reset = nowSecond() + 2;
        observed(Map.of("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", Long.toString(reset)));
        // the lag learned is at least 5 s less the reset's slack and our margin, plus the second added
        long leastLag = 5_000 - 1000 - RatePacer.RESET_MARGIN_MILLIS + 1000;
        assertTrue(pacer.nextStart() >= reset * 1000 + 1000 + RatePacer.RESET_MARGIN_MILLIS + leastLag, "the lag is added to the reset");
    }

    @Test
    void answersOfAnEarlierWindowDoNotUndoTheCurrentOne() throws Exception {
        long current = nowSecond() + 20;
        answered(200, Map.of("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", Long.toString(current)));
        observed(Map.of("X-RateLimit-Remaining", "40", "X-RateLimit-Reset", Long.toString(current - 10)));
        assertEquals(current * 1000 + 1000 + RatePacer.RESET_MARGIN_MILLIS, pacer.nextStart(), "still spent until the current window ends");
    }

    @Test
    void requestsNotAnsweredYetCountAgainstTheWindow() throws Exception {
        long reset = nowSecond() + 20;
        Exchange first = new DefaultExchange(context);
        pacer.awaitPermit(first);
        Exchange second = new DefaultExchange(context);
        pacer.awaitPermit(second); // no window known yet: at once
        second.getMessage().setHeaders(new java.util.HashMap<>(Map.of("X-RateLimit-Remaining", "1", "X-RateLimit-Reset", Long.toString(reset))));
        pacer.observe(second.getMessage());
        assertEquals(reset * 1000 + 1000 + RatePacer.RESET_MARGIN_MILLIS, pacer.nextStart(), "the one left may go to the first request, in flight");

        first.getMessage().setHeaders(new java.util.HashMap<>(Map.of("X-RateLimit-Remaining", "2", "X-RateLimit-Reset", Long.toString(reset))));
        pacer.observe(first.getMessage()); // counted before the second: the one left is free
        assertTrue(pacer.nextStart() < reset * 1000, "one left, spread over the time to the reset");
    }

    @Test
    void ourOwnPacingIsCountedApartFromTheWaitsTheApiForced() throws Exception {
        RatePacer paced = new RatePacer(600, Duration.ofMillis(300)); // our ceiling: one request every 100 ms
        Exchange first = new DefaultExchange(context);
        paced.awaitPermit(first);
        paced.awaitPermit(new DefaultExchange(context)); // 100 ms after the first: our pacing alone
        assertEquals(1, paced.pacingWaits());
        assertTrue(paced.pacingWaitedMillis() >= 50, "waited for its slot: " + paced.pacingWaitedMillis());
        assertEquals(0, paced.rateLimitWaits(), "the API has not pushed back");

        // a window the API announced as spent, ending 400 ms from now
        first.getMessage().setHeaders(new java.util.HashMap<>(Map.of("X-RateLimit-Remaining", "0",
                "X-RateLimit-Reset", Long.toString(System.currentTimeMillis() + 400))));
        paced.observe(first.getMessage());
        Exchange third = new DefaultExchange(context);
        paced.awaitPermit(third);
        assertEquals(1, paced.rateLimitWaits(), "held for the spent window");
        assertTrue(paced.rateLimitWaitedMillis() >= 300, "until the window ended: " + paced.rateLimitWaitedMillis());

        // a 429 with no reset: the fallback wait, forced by the API too
        third.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 429);
        paced.onRateLimited(third.getMessage());
        paced.awaitPermit(new DefaultExchange(context));
        assertEquals(2, paced.rateLimitWaits());
        assertEquals(1, paced.pacingWaits(), "neither hold counted as pacing");
    }
}
