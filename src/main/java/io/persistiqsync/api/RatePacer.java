package io.persistiqsync.api;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Keeps requests under the rate limit so that a healthy sync never sees a 429.
 * <p>
 * What the contract (persistiq-api.md §6) gives: about 100 requests a minute per key (documented; a live
 * header once said 500), {@code X-RateLimit-Limit}, {@code X-RateLimit-Remaining} and
 * {@code X-RateLimit-Reset} "in epoch seconds" (second-hand, medium confidence), 429 beyond, no
 * Retry-After ever seen. Not known: how long a window really is, where it starts, how the reset second
 * is rounded, whether the API's clock agrees with ours.
 * <p>
 * The rules, for each request in the order they ask:
 * <ol>
 * <li><b>Our ceiling</b>: requests start at least 60 s / persistiq.max-requests-per-minute apart.</li>
 * <li><b>The announced limit, spread over the window</b>: once an answer has shown the current window
 * (Remaining and Reset), the requests it still allows are spread evenly over the time left until its
 * reset, the last a spacing and a round trip before it: window / limit apart while on schedule, so a
 * limit lower than ours paces the sync instead of being spent at full speed and waited out at the edge;
 * closer together (down to our ceiling) after a stall, since slots not used are lost with the window.
 * While no window is known (before the first answer; after a window, until an answer shows the next)
 * the limit is spread over the window length seen: the longest time from a request (the middle of its
 * round trip) to the reset its answer announced, or the documented minute while no reset was seen.</li>
 * <li><b>Nothing into a spent window</b>: the window allows the lowest Remaining its answers gave, less
 * every request not answered yet (pages asked for ahead are in flight; the answer with the lowest
 * Remaining is the last the API counted, so this never allows too many). At 0 nothing starts before the
 * window has surely ended: the reset second <em>plus one second</em> (a reset in whole seconds is the
 * end truncated, up to a second early, where the window began at a fraction of a second) plus
 * {@link #RESET_MARGIN_MILLIS}. Remaining 0 with no reset: the fallback wait.</li>
 * <li><b>After a 429 anyway</b>: nothing starts before the time the answer names (the later of
 * Retry-After, in seconds or as an HTTP date, and X-RateLimit-Reset + 1 s), else the fallback wait. A
 * 429 for a request we started after its window's latest end means the API's clock is behind ours: that
 * lag (plus a second) is learned and added to every later reset, so the next edge does not repeat it.</li>
 * </ol>
 * The forms this handles: fixed windows of the documented minute or of any other length (read from the
 * reset, never assumed), aligned to the clock or started by the first request after the last window, at
 * any fraction of a second, met from their start or part-way through; a reset truncated, rounded or
 * rounded up to the second (reset + 1 s covers all three, at a cost of up to a second per spent window);
 * a reset in epoch seconds (the contract), in epoch milliseconds (a value above 10^11) or as seconds from
 * now (a value below 10^9, no epoch second since 2001); a limit lower than ours (it paces) or higher (ours
 * stays the ceiling); no rate-limit headers at all (our ceiling alone). Not covered: a sliding window
 * (nothing suggests one), which the catch-up after a stall could overrun; its 429 then holds as above.
 */
public class RatePacer {
    /**
     * Margin after the latest instant a window can end: network and scheduling jitter, and the API's clock
     * against ours (same host in tests; NTP-close in production; a bigger lag is learned from a 429).
     */
    static final long RESET_MARGIN_MILLIS = 100;
    /** A whole-second reset is the end truncated (worst case): the window may run up to this much longer. */
    static final long WHOLE_SECOND_SLACK_MILLIS = 1000;
    /** The documented window, for a limit announced without any reset. */
    static final long DOCUMENTED_WINDOW_MILLIS = 60_000;
    /** A learned clock lag beyond a window is nonsense: a reset that far off is not trusted more. */
    static final long MAX_LAG_MILLIS = 60_000;
    /** A request with no answer after this long never gets one (timed out, failed): it no longer counts as in flight. */
    static final long IN_FLIGHT_EXPIRY_MILLIS = 120_000;

    private static final long NEVER = Long.MIN_VALUE / 4;
    private static final String STARTED = "requestStartedNanos";
    private static final String PERMIT = "requestPermit";

    private final long intervalMillis;
    private final long fallbackWaitMillis;

    // everything below is guarded by this
    /** requests waiting for their start, in arrival order; only the first may start */
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    /** since when the first in the queue has been first (its slot is not earlier than that) */
    private long headSince;
    /** when the last request started (by its slot: a late wake-up does not push the pace back) */
    private long lastStart = NEVER;
    /** after a 429: nothing starts before this */
    private long blockedUntil;
    /** permits handed out so far */
    private long permits;
    /** requests started and not answered yet, by permit, oldest first */
    private final Map<Long, InFlight> inFlight = new LinkedHashMap<>();
    /** the announced X-RateLimit-Limit (0: none seen) */
    private long limit;
    /** the longest time seen from a request to the reset its answer announced (0: none) */
    private long windowMillis;
    private boolean resetSeen;
    /** the current window: its announced reset (ms, -1: none), the latest instant it may end */
    private long windowReset = -1;
    private long windowEnd;
    /** the lowest X-RateLimit-Remaining the current window's answers gave (-1: no window known) */
    private long windowLeft = -1;
    /** how far the API's clock was found behind ours */
    private long lagMillis;
    /** moving average of request latency (request start to answer), in milliseconds */
    private double latencyMillis;

    /** waits the API forced (a 429's hold, a window it announced as spent), and waits for our own pacing */
    private final AtomicLong rateLimitWaits = new AtomicLong();
    private final AtomicLong rateLimitWaitedMillis = new AtomicLong();
    private final AtomicLong pacingWaits = new AtomicLong();
    private final AtomicLong pacingWaitedMillis = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();

    public RatePacer(int maxRequestsPerMinute, Duration fallbackWait) {
        this.intervalMillis = 60_000L / maxRequestsPerMinute;
        this.fallbackWaitMillis = fallbackWait.toMillis();
    }

    private record InFlight(long startedAt, String exchangeId) {
    }

    /** Blocks until the next request may start; notes when it started and its permit, for {@link #observe}. */
    public void awaitPermit(Exchange exchange) throws InterruptedException {
        Long previous = exchange.getProperty(PERMIT, Long.class);
        if (previous != null) answered(previous, exchange); // a retry: the last attempt got no answer (reset, timeout)
        long permit = waitForSlot(exchange.getExchangeId());
        exchange.setProperty(PERMIT, permit);
        exchange.setProperty(STARTED, System.nanoTime());
    }

    /** The request with this permit is no longer in flight (if it was this exchange's: properties get copied). */
    private synchronized void answered(long permit, Exchange exchange) {
        InFlight request = inFlight.get(permit);
        if (request != null && request.exchangeId().equals(exchange.getExchangeId())) {
            inFlight.remove(permit);
            notifyAll();
        }
    }

    private long waitForSlot(String exchangeId) throws InterruptedException {
        Object me = new Object();
        long arrived = System.currentTimeMillis();
        boolean waited = false;
        boolean forced = false; // by the API at some moment of the wait, not only by our pacing
        synchronized (this) {
            if (queue.isEmpty()) headSince = arrived;
            queue.addLast(me);
            try {
                while (true) {
                    long now = System.currentTimeMillis();
                    if (queue.peekFirst() == me) {
                        long slot = earliestStart(now);
                        if (slot <= now) {
                            lastStart = Math.max(slot, headSince);
                            inFlight.put(++permits, new InFlight(now, exchangeId));
                            if (waited) {
                                (forced ? rateLimitWaits : pacingWaits).incrementAndGet();
                                (forced ? rateLimitWaitedMillis : pacingWaitedMillis).addAndGet(now - arrived);
                            }
                            requests.incrementAndGet();
                            return permits;
                        }
                        waited = true;
                        forced |= apiHolds(now);
                        wait(slot - now); // or until an answer changes what we know
                    } else {
                        waited = true;
                        forced |= apiHolds(now); // behind another request, and held by the API all the same
                        wait();
                    }
                }
            } finally {
                if (queue.peekFirst() == me) headSince = System.currentTimeMillis();
                queue.remove(me);
                notifyAll();
            }
        }
    }

    /** The earliest instant the first request in the queue may start. */
    private long earliestStart(long now) {
        long left = remaining(now);
        if (left == 0) return Math.max(Math.max(lastStart + intervalMillis, blockedUntil), windowEnd);
        if (lastStart == NEVER) return blockedUntil;
        long spacing = steadySpacing();
        if (left > 0 && windowReset >= 0) {
            // the requests left, spread over the time left until the announced reset (the last one a spacing and
            // a round trip before it, so that it is still counted in this window): window / limit while on
            // schedule; closer together after a stall, since slots not used are lost with the window; further
            // apart after requests that went before the window was known
            long until = windowReset - (long) latencyMillis;
            spacing = Math.max(intervalMillis, Math.max(0, until - lastStart) / (left + 1));
        }
        return Math.max(lastStart + spacing, blockedUntil);
    }

    /**
     * Whether what holds requests back at this moment is the API's word (a 429's hold, or a window it
     * announced as spent), rather than our own pacing (our ceiling, the announced limit spread over its
     * window). Every waiter checks it each time it wakes, and a 429 or an answer wakes them all.
     */
    private boolean apiHolds(long now) {
        return blockedUntil > now || remaining(now) == 0;
    }

    /** When the next request could start as things stand: not before now (tests). */
    synchronized long nextStart() {
        long now = System.currentTimeMillis();
        return Math.max(now, earliestStart(now));
    }

    /**
     * Requests the current window still allows beyond those in flight (-1: no window known): the lowest
     * Remaining its answers gave, less every request not answered yet. That never allows too many: the
     * answer with the lowest Remaining is the last the API counted, and whatever it counted since is not
     * answered yet. It allows too few for a moment when a request the API counted earlier is answered
     * later (subtracted twice until its answer comes).
     */
    private long remaining(long now) {
        if (windowLeft < 0) return -1;
        if (now >= windowEnd) { // the window is over: a new one starts
            windowLeft = -1;
            return -1;
        }
        for (Iterator<InFlight> started = inFlight.values().iterator(); started.hasNext(); ) {
            if (started.next().startedAt() >= now - IN_FLIGHT_EXPIRY_MILLIS) break;
            started.remove();
        }
        return Math.max(0, windowLeft - inFlight.size());
    }

    /** The pace where no window is known: our ceiling, or the announced limit over the window where slower. */
    private long steadySpacing() {
        if (limit <= 0) return intervalMillis;
        long window = windowMillis > 0 ? windowMillis : resetSeen ? 0 : DOCUMENTED_WINDOW_MILLIS;
        return Math.max(intervalMillis, window / limit);
    }

    /** Learns from the rate-limit headers of any answer, and how long it took. */
    public synchronized void observe(Message answer) {
        Exchange exchange = answer.getExchange();
        Long started = exchange == null ? null : exchange.getProperty(STARTED, Long.class);
        Long permit = exchange == null ? null : exchange.getProperty(PERMIT, Long.class);
        if (permit != null) answered(permit, exchange);
        long now = System.currentTimeMillis();
        long roundTrip = started == null ? 0 : (System.nanoTime() - started) / 1_000_000;
        if (started != null) noteLatency(roundTrip);
        Long announced = longHeader(answer, "X-RateLimit-Limit");
        Long left = longHeader(answer, "X-RateLimit-Remaining");
        Reset reset = Reset.of(longHeader(answer, "X-RateLimit-Reset"), now);
        if (announced != null && announced > 0) limit = announced;
        if (reset != null) {
            resetSeen = true;
            windowMillis = Math.max(windowMillis, reset.millis() - (now - roundTrip / 2));
        }
        if (left != null) learnLeft(Math.max(0, left), reset, now);
        notifyAll();
    }

    private void learnLeft(long left, Reset reset, long now) {
        boolean known = windowLeft >= 0 && now < windowEnd;
        if (reset == null) {
            if (left == 0 && !(known && windowLeft == 0)) { // spent, and no word when it ends: the fallback wait
                windowReset = -1;
                windowEnd = now + fallbackWaitMillis;
                windowLeft = 0;
            }
            return;
        }
        long end = latestEnd(reset);
        if (end <= now) return; // about a window that is over (an answer that came late)
        long sameWindow = Math.max(1, reset.slack());
        if (known && windowReset >= 0 && reset.millis() <= windowReset - sameWindow) return; // an earlier window's answer
        if (known && windowReset >= 0 && Math.abs(reset.millis() - windowReset) < sameWindow) {
            windowLeft = Math.min(windowLeft, left); // answers come out of order when pages are asked for ahead
        } else {
            windowReset = reset.millis();
            windowEnd = end;
            windowLeft = left;
        }
    }

    /** The latest instant the window whose reset this is may end, on our clock. */
    private long latestEnd(Reset reset) {
        return reset.millis() + reset.slack() + RESET_MARGIN_MILLIS + lagMillis;
    }

    /** Adds one request's latency (request start to answer) to the moving average. */
    synchronized void noteLatency(double millis) {
        latencyMillis = latencyMillis == 0 ? millis : 0.8 * latencyMillis + 0.2 * millis;
    }

    /**
     * How many requests of a stream to keep in flight (waiting for a slot or for their answer), at most
     * {@code maxConcurrency}: 1 while latency x rate <= 1 (or the latency is not known yet), when one
     * request at a time already keeps the pace and nothing is asked for that may not be needed. Else
     * what the latency needs at our pace (the slower of our ceiling and the announced limit over its
     * window), ceil(latency / interval), plus one: the next request then already waits for its slot when
     * an answer is a little late, so no slot of the pace goes unused.
     */
    public synchronized int requestsInFlight(int maxConcurrency) {
        if (latencyMillis <= 0) return 1;
        int needed = (int) Math.ceil(latencyMillis / Math.max(1, steadySpacing()));
        if (needed <= 1) return 1;
        return Math.max(1, Math.min(maxConcurrency, needed + 1));
    }

    /** A 429: hold every request until the time the API names. */
    public synchronized void onRateLimited(Message answer) {
        rateLimited.incrementAndGet();
        long now = System.currentTimeMillis();
        String retryAfter = answer.getHeader("Retry-After", String.class);
        Reset reset = Reset.of(longHeader(answer, "X-RateLimit-Reset"), now);
        if (reset != null && reset.onTheirClock()) learnLag(answer, reset, now);
        Long named = null;
        if (retryAfter != null && !retryAfter.isBlank()) {
            long at = retryAfterMillis(retryAfter.trim(), -1);
            if (at >= 0) named = at + RESET_MARGIN_MILLIS;
        }
        if (reset != null) named = Math.max(named == null ? 0 : named, latestEnd(reset));
        long until = named != null ? named : now + fallbackWaitMillis;
        blockedUntil = Math.max(blockedUntil, until);
        windowLeft = -1; // what comes after the hold is a new window
        notifyAll();
    }

    /**
     * A 429 for a request started after the latest instant its window could end (by the API's reset and
     * our clock): the API's clock is behind ours, by at least the time since then; one second more is
     * added for what we cannot see, so the next window edge is not met the same way.
     */
    private void learnLag(Message answer, Reset reset, long now) {
        Exchange exchange = answer.getExchange();
        Long started = exchange == null ? null : exchange.getProperty(STARTED, Long.class);
        if (started == null) return;
        long sentAt = now - (System.nanoTime() - started) / 1_000_000;
        if (sentAt < latestEnd(reset)) return; // sent inside the window as we knew it: not a clock matter
        long behind = now - (reset.millis() + reset.slack() + RESET_MARGIN_MILLIS);
        lagMillis = Math.min(MAX_LAG_MILLIS, Math.max(lagMillis, behind + 1000));
    }

    static long retryAfterMillis(String value, long otherwise) {
        try {
            return System.currentTimeMillis() + Long.parseLong(value) * 1000;
        } catch (NumberFormatException notSeconds) {
            try {
                return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
            } catch (RuntimeException notADate) {
                return otherwise;
            }
        }
    }

    /**
     * An X-RateLimit-Reset on our clock: {@code millis}, the instant as announced, and {@code slack}, how
     * much later the window may really end because the value is in whole seconds.
     */
    record Reset(long millis, long slack, boolean onTheirClock) {
        static Reset of(Long value, long now) {
            if (value == null || value <= 0) return null;
            if (value >= 100_000_000_000L) return new Reset(value, 0, true); // epoch milliseconds
            if (value >= 1_000_000_000L) return new Reset(value * 1000, WHOLE_SECOND_SLACK_MILLIS, true); // epoch seconds
            return new Reset(now + value * 1000, WHOLE_SECOND_SLACK_MILLIS, false); // seconds from now
        }
    }

    private static Long longHeader(Message answer, String name) {
        Object value = answer.getHeader(name);
        if (value == null) value = answer.getHeader(name.toLowerCase());
        if (value == null) return null;
        try {
            return Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Requests that waited because the API said so: after a 429, or for a window it announced as spent. */
    public long rateLimitWaits() {
        return rateLimitWaits.get();
    }

    public long rateLimitWaitedMillis() {
        return rateLimitWaitedMillis.get();
    }

    /** Requests that waited for our own pacing only: persistiq.max-requests-per-minute, the announced limit spread over its window. */
    public long pacingWaits() {
        return pacingWaits.get();
    }

    public long pacingWaitedMillis() {
        return pacingWaitedMillis.get();
    }

    public long rateLimited() {
        return rateLimited.get();
    }

    public long requests() {
        return requests.get();
    }
}
