package io.persistiqsync.api;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Keeps requests under the rate limit so a healthy sync never sees a 429.
 * Two rules: requests start at least 60s / max-requests-per-minute apart (our own ceiling), and
 * when the API says none remain ({@code X-RateLimit-Remaining: 0}) nothing starts before
 * {@code X-RateLimit-Reset}. After a 429 anyway, nothing starts before the time the answer names
 * (Retry-After in seconds or as an HTTP date, else X-RateLimit-Reset, else a fallback wait).
 * We do not derive the pace from X-RateLimit-Limit: its window is undocumented (a live header said 500).
 */
public class RatePacer {
    /** Margin after a reset instant: the API's clock and ours are not the same clock. */
    private static final long RESET_MARGIN_MILLIS = 50;

    private final long intervalMillis;
    private final long fallbackWaitMillis;
    private long nextStart;
    private long blockedUntil;
    private long remaining = -1;
    private long remainingResetsAt;
    /** moving average of request latency (request start to answer), in milliseconds */
    private double latencyMillis;
    private static final String STARTED = "requestStartedNanos";

    private final AtomicLong waits = new AtomicLong();
    private final AtomicLong waitedMillis = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();

    public RatePacer(int maxRequestsPerMinute, Duration fallbackWait) {
        this.intervalMillis = 60_000L / maxRequestsPerMinute;
        this.fallbackWaitMillis = fallbackWait.toMillis();
    }

    /** Blocks until the next request may start; notes when it started, for {@link #answered}. */
    public void awaitPermit(Exchange exchange) throws InterruptedException {
        waitForSlot();
        exchange.setProperty(STARTED, System.nanoTime());
    }

    private void waitForSlot() throws InterruptedException {
        long startAt;
        synchronized (this) {
            long now = System.currentTimeMillis();
            if (remaining == 0 && now >= remainingResetsAt) remaining = -1;
            startAt = Math.max(now, Math.max(nextStart, blockedUntil));
            if (remaining == 0) startAt = Math.max(startAt, remainingResetsAt);
            nextStart = startAt + intervalMillis;
            if (remaining > 0) remaining--;
        }
        long wait = startAt - System.currentTimeMillis();
        if (wait > 0) {
            waits.incrementAndGet();
            waitedMillis.addAndGet(wait);
            Thread.sleep(wait);
        }
        requests.incrementAndGet();
    }

    /** Learns from the rate-limit headers of any answer, and how long it took. */
    public synchronized void observe(Message answer) {
        Long started = answer.getExchange().getProperty(STARTED, Long.class);
        if (started != null) noteLatency((System.nanoTime() - started) / 1e6);
        Long reset = longHeader(answer, "X-RateLimit-Reset");
        Long left = longHeader(answer, "X-RateLimit-Remaining");
        if (left != null && reset != null) {
            long resetsAt = reset * 1000 + RESET_MARGIN_MILLIS;
            // answers arrive out of order when pages are fetched ahead: within one window, the lowest count is the truest
            remaining = resetsAt == remainingResetsAt && remaining >= 0 ? Math.min(remaining, left) : left;
            remainingResetsAt = resetsAt;
        }
    }

    /** Adds one request's latency (request start to answer) to the moving average. */
    synchronized void noteLatency(double millis) {
        latencyMillis = latencyMillis == 0 ? millis : 0.8 * latencyMillis + 0.2 * millis;
    }

    /**
     * How many requests of a stream to keep in flight (waiting for a slot or for their answer), at most
     * {@code maxConcurrency}: 1 while latency x rate <= 1 (or the latency is not known yet), when one
     * request at a time already keeps the pace and nothing is asked for that may not be needed. Else
     * what the latency needs at our pace, ceil(latency / interval), plus one: the next request then
     * already waits for its slot when an answer is a little late, so no slot of the pace goes unused.
     */
    public synchronized int requestsInFlight(int maxConcurrency) {
        if (latencyMillis <= 0) return 1;
        int needed = (int) Math.ceil(latencyMillis / Math.max(1, intervalMillis));
        if (needed <= 1) return 1;
        return Math.max(1, Math.min(maxConcurrency, needed + 1));
    }

    /** A 429: hold every request until the time the API names. */
    public synchronized void onRateLimited(Message answer) {
        rateLimited.incrementAndGet();
        long until = System.currentTimeMillis() + fallbackWaitMillis;
        String retryAfter = answer.getHeader("Retry-After", String.class);
        Long reset = longHeader(answer, "X-RateLimit-Reset");
        if (retryAfter != null && !retryAfter.isBlank()) {
            until = retryAfterMillis(retryAfter.trim(), until);
        } else if (reset != null) {
            until = reset * 1000 + RESET_MARGIN_MILLIS;
        }
        blockedUntil = Math.max(blockedUntil, until);
        remaining = -1;
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

    public long waits() {
        return waits.get();
    }

    public long waitedMillis() {
        return waitedMillis.get();
    }

    public long rateLimited() {
        return rateLimited.get();
    }

    public long requests() {
        return requests.get();
    }
}
