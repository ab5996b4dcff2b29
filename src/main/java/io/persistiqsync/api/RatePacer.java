package io.persistiqsync.api;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicLong;

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

    private final AtomicLong waits = new AtomicLong();
    private final AtomicLong waitedMillis = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();

    public RatePacer(int maxRequestsPerMinute, Duration fallbackWait) {
        this.intervalMillis = 60_000L / maxRequestsPerMinute;
        this.fallbackWaitMillis = fallbackWait.toMillis();
    }

    /** Blocks until the next request may start. */
    public void awaitPermit() throws InterruptedException {
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

    /** Learns from the rate-limit headers of any answer. */
    public synchronized void observe(Message answer) {
        Long reset = longHeader(answer, "X-RateLimit-Reset");
        Long left = longHeader(answer, "X-RateLimit-Remaining");
        if (left != null && reset != null) {
            remaining = left;
            remainingResetsAt = reset * 1000 + RESET_MARGIN_MILLIS;
        }
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
