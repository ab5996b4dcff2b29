package io.persistiqsync.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A fixed-window limit per API key (contract §6): a window starts with the first request after the
 * previous one ended. Refused requests do not count. Thread-safe.
 */
final class RateLimiter {

    /** The outcome for one request; a limit of 0 means rate limiting is off (and no headers are sent). */
    record Decision(boolean allowed, int limit, int remaining, long resetEpochSecond) {

        static final Decision UNLIMITED = new Decision(true, 0, 0, 0);

        Map<String, String> headers() {
            if (limit == 0) {
                return Map.of();
            }
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("X-RateLimit-Limit", Integer.toString(limit));
            headers.put("X-RateLimit-Remaining", Integer.toString(remaining));
            headers.put("X-RateLimit-Reset", Long.toString(resetEpochSecond));
            return headers;
        }
    }

    private record Window(Instant start, int used) {
    }

    private int limit; // guarded by this
    private Duration window; // guarded by this
    private final Map<String, Window> windows = new HashMap<>(); // guarded by this; one entry per key seen

    RateLimiter(int limit, Duration window) {
        configure(limit, window);
    }

    /** Changes the limit (0 = off) and window length; running windows start over. */
    synchronized void configure(int limit, Duration window) {
        if (limit < 0 || window.isZero() || window.isNegative()) {
            throw new IllegalArgumentException("need limit >= 0 and a positive window");
        }
        this.limit = limit;
        this.window = window;
        windows.clear();
    }

    synchronized int limit() {
        return limit;
    }

    /** Counts a request by {@code key} (missing keys share one window) unless the window is full. */
    synchronized Decision acquire(String key, Instant now) {
        if (limit == 0) {
            return Decision.UNLIMITED;
        }
        Window current = windows.get(key);
        if (current == null || !now.isBefore(current.start().plus(window))) {
            current = new Window(now, 0);
        }
        long reset = ceilEpochSecond(current.start().plus(window));
        if (current.used() >= limit) {
            windows.put(key, current);
            return new Decision(false, limit, 0, reset);
        }
        windows.put(key, new Window(current.start(), current.used() + 1));
        return new Decision(true, limit, limit - current.used() - 1, reset);
    }

    /** Rounded up, so that a client waiting until the reset second never comes back early. */
    static long ceilEpochSecond(Instant instant) {
        return instant.getEpochSecond() + (instant.getNano() > 0 ? 1 : 0);
    }
}
