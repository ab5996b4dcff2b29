package io.persistiqsync.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A fixed-window limit per API key (contract §6). By default a window starts with the first request
 * after the previous window ended, at whatever fraction of a second that request came. With a phase
 * (0 <= phase < 1 s) every window ends {@code phase} past a whole epoch second (for a window of whole
 * seconds; a fractional one moves the phase from window to window): the first lasts from
 * the key's first request to the first such instant at least {@code window} later, the next ones follow
 * without gaps, {@code window} long each (as on a server that keys its windows by whole seconds of a
 * clock {@code phase} behind ours; and a sync starts with a whole window, not a random part of one).
 * Refused requests do not count. {@code X-RateLimit-Reset} is the window's end in whole epoch seconds,
 * truncated as a server writing {@code reset_at.to_i} does: the contract says epoch seconds and nothing
 * finer, so a window that ends at a fraction of a second ends up to a second after the reset it announces.
 * Thread-safe.
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

    private record Window(Instant start, Instant end, int used) {
    }

    private int limit; // guarded by this
    private Duration window; // guarded by this
    private Duration phase; // guarded by this; null: a window starts with the first request after the previous one ended
    private final Map<String, Window> windows = new HashMap<>(); // guarded by this; one entry per key seen

    RateLimiter(int limit, Duration window) {
        this(limit, window, null);
    }

    RateLimiter(int limit, Duration window, Duration phase) {
        configure(limit, window, phase);
    }

    /** Changes the limit (0 = off) and window length; running windows start over, each with its first request. */
    synchronized void configure(int limit, Duration window) {
        configure(limit, window, null);
    }

    /**
     * Changes the limit (0 = off), window length and phase (null: a window starts with the first request
     * after the previous one ended; else 0 <= phase < 1 s, windows end that far past a whole second);
     * running windows start over.
     */
    synchronized void configure(int limit, Duration window, Duration phase) {
        if (limit < 0 || window.isZero() || window.isNegative()) {
            throw new IllegalArgumentException("need limit >= 0 and a positive window");
        }
        if (phase != null && (phase.isNegative() || phase.compareTo(Duration.ofSeconds(1)) >= 0)) {
            throw new IllegalArgumentException("need 0 <= phase < 1 s: " + phase);
        }
        this.limit = limit;
        this.window = window;
        this.phase = phase;
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
        if (current == null || !now.isBefore(current.end())) {
            current = next(current, now);
        }
        long reset = current.end().getEpochSecond(); // truncated: up to a second before the window ends
        if (current.used() >= limit) {
            windows.put(key, current);
            return new Decision(false, limit, 0, reset);
        }
        windows.put(key, new Window(current.start(), current.end(), current.used() + 1));
        return new Decision(true, limit, limit - current.used() - 1, reset);
    }

    /** The window {@code now} falls in, after {@code previous} (null: the key's first request). */
    private Window next(Window previous, Instant now) {
        if (phase == null) {
            return new Window(now, now.plus(window), 0);
        }
        if (previous == null) {
            return new Window(now, endAtPhase(now.plus(window)), 0);
        }
        long windowNanos = window.toNanos();
        long skipped = Duration.between(previous.end(), now).toNanos() / windowNanos; // whole windows nobody asked in
        Instant start = previous.end().plusNanos(skipped * windowNanos);
        return new Window(start, start.plus(window), 0);
    }

    /** The first instant at or after {@code instant} that lies {@code phase} past a whole epoch second. */
    private Instant endAtPhase(Instant instant) {
        Instant candidate = Instant.ofEpochSecond(instant.getEpochSecond()).plus(phase);
        return candidate.isBefore(instant) ? candidate.plusSeconds(1) : candidate;
    }

    /** Rounded up: an instant no earlier than {@code instant}, in whole epoch seconds (injected 429s). */
    static long ceilEpochSecond(Instant instant) {
        return instant.getEpochSecond() + (instant.getNano() > 0 ? 1 : 0);
    }
}
