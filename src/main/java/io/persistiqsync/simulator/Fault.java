package io.persistiqsync.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * A failure the simulator injects into answers (see {@link FaultPlan}), to test a client's resilience.
 * Use the constants, or {@link #slow(Duration)} and {@link #serverErrorHtml(int)} for variants.
 *
 * <p>Most faults act before rate limiting and authentication and take no part in rate limiting: they
 * replace the answer, drop the connection, or (SLOW) delay the normal answer. The list faults
 * ({@link Kind#altersListAnswer()}) change an otherwise successful list answer, so they wait for the
 * next matching request that gets one (not an error, not a single lead).
 */
public final class Fault {

    public enum Kind {
        /** 429 with {@code X-RateLimit-*} headers (reset one second ahead) and the contract's §6 body. */
        RATE_LIMITED,
        /** 429 with the §6 body and no rate-limit header at all. */
        RATE_LIMITED_NO_HEADERS,
        /** 429 with {@code Retry-After: 1} instead of rate-limit headers (no source shows one; a client may meet it). */
        RATE_LIMITED_RETRY_AFTER,
        /** A 5xx with an HTML page, as a proxy in front of the API would send. */
        SERVER_ERROR_HTML,
        /**
         * The connection is closed without any answer. The JDK server can only close in order (FIN),
         * not send a TCP reset; note that java.net.http quietly retries a GET once when this happens.
         */
        CONNECTION_RESET,
        /** The normal answer, but only after a delay (longer than a client's timeout). */
        SLOW,
        /** 401 with the error envelope, as for a wrong key. */
        UNAUTHORIZED,
        /** 200 whose body is not JSON (a colon is missing). */
        MALFORMED_JSON,
        /** 200 whose body is the first half of the JSON. */
        TRUNCATED_JSON,
        /** 200 with the envelope but without the resource's array. */
        MISSING_ARRAY,
        /** A valid page whose {@code next_page} points at the same page again. */
        REPEAT_NEXT_PAGE,
        /** A valid page whose {@code next_page} is on another host ({@code https://evil.example.com}). */
        FOREIGN_NEXT_PAGE,
        /** An empty array with {@code has_more} true and {@code next_page} on the next page, which is normal. */
        EMPTY_PAGE_HAS_MORE;

        /** Whether the fault changes a successful list answer rather than replacing the answer. */
        public boolean altersListAnswer() {
            return switch (this) {
                case MALFORMED_JSON, TRUNCATED_JSON, MISSING_ARRAY, REPEAT_NEXT_PAGE, FOREIGN_NEXT_PAGE,
                        EMPTY_PAGE_HAS_MORE -> true;
                default -> false;
            };
        }
    }

    public static final Fault RATE_LIMITED = new Fault(Kind.RATE_LIMITED, 429, Duration.ZERO);
    public static final Fault RATE_LIMITED_NO_HEADERS = new Fault(Kind.RATE_LIMITED_NO_HEADERS, 429, Duration.ZERO);
    public static final Fault RATE_LIMITED_RETRY_AFTER = new Fault(Kind.RATE_LIMITED_RETRY_AFTER, 429, Duration.ZERO);
    /** A 502 Bad Gateway page; {@link #serverErrorHtml(int)} gives 500, 503 and others. */
    public static final Fault SERVER_ERROR_HTML = serverErrorHtml(502);
    public static final Fault CONNECTION_RESET = new Fault(Kind.CONNECTION_RESET, 0, Duration.ZERO);
    /** Thirty seconds late; {@link #slow(Duration)} sets another delay. */
    public static final Fault SLOW = slow(Duration.ofSeconds(30));
    public static final Fault UNAUTHORIZED = new Fault(Kind.UNAUTHORIZED, 401, Duration.ZERO);
    public static final Fault MALFORMED_JSON = new Fault(Kind.MALFORMED_JSON, 200, Duration.ZERO);
    public static final Fault TRUNCATED_JSON = new Fault(Kind.TRUNCATED_JSON, 200, Duration.ZERO);
    public static final Fault MISSING_ARRAY = new Fault(Kind.MISSING_ARRAY, 200, Duration.ZERO);
    public static final Fault REPEAT_NEXT_PAGE = new Fault(Kind.REPEAT_NEXT_PAGE, 200, Duration.ZERO);
    public static final Fault FOREIGN_NEXT_PAGE = new Fault(Kind.FOREIGN_NEXT_PAGE, 200, Duration.ZERO);
    public static final Fault EMPTY_PAGE_HAS_MORE = new Fault(Kind.EMPTY_PAGE_HAS_MORE, 200, Duration.ZERO);

    private final Kind kind;
    private final int status;
    private final Duration delay;

    private Fault(Kind kind, int status, Duration delay) {
        this.kind = kind;
        this.status = status;
        this.delay = delay;
    }

    /** The normal answer, after {@code delay}. */
    public static Fault slow(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative");
        }
        return new Fault(Kind.SLOW, 200, delay);
    }

    /** A server error with an HTML body; {@code status} must be 500 to 599. */
    public static Fault serverErrorHtml(int status) {
        if (status < 500 || status > 599) {
            throw new IllegalArgumentException("not a server error status: " + status);
        }
        return new Fault(Kind.SERVER_ERROR_HTML, status, Duration.ZERO);
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status the client sees; 0 for {@link Kind#CONNECTION_RESET}, which sends none. */
    public int status() {
        return status;
    }

    /** The delay of {@link Kind#SLOW}; zero for the others. */
    public Duration delay() {
        return delay;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case SLOW -> "SLOW(" + delay + ")";
            case SERVER_ERROR_HTML -> "SERVER_ERROR_HTML(" + status + ")";
            default -> kind.name();
        };
    }
}
