package io.persistiqsync.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;

/** Turns an injected {@link Fault} into what the client receives. */
final class FaultResponder {

    /** The limit an injected 429 claims when the simulator's own rate limiting is off (contract §6). */
    private static final int DOCUMENTED_LIMIT = 100;

    private FaultResponder() {
    }

    /**
     * The answer for a fault that replaces the answer altogether (not SLOW or CONNECTION_RESET, which
     * the handler carries out itself).
     *
     * @param presentedKey    the request's {@code x-api-key}, which a 401 echoes
     * @param configuredLimit the simulator's rate limit, 0 when off
     */
    static WireResponse replace(Fault fault, String presentedKey, int configuredLimit) {
        int limit = configuredLimit > 0 ? configuredLimit : DOCUMENTED_LIMIT;
        long reset = RateLimiter.ceilEpochSecond(Instant.now()) + 1;
        WireResponse tooMany = WireResponse.json(429, Json.tooManyRequests(limit, reset));
        return switch (fault.kind()) {
            case RATE_LIMITED -> tooMany.withHeaders(new RateLimiter.Decision(false, limit, 0, reset).headers());
            case RATE_LIMITED_NO_HEADERS -> tooMany;
            case RATE_LIMITED_RETRY_AFTER -> tooMany.withHeaders(Map.of("Retry-After", "1"));
            case SERVER_ERROR_HTML -> WireResponse.text(fault.status(), "text/html", errorPage(fault.status()));
            case UNAUTHORIZED -> WireResponse.json(401, Json.unauthorized(presentedKey));
            default -> throw new IllegalArgumentException("not a replacing fault: " + fault);
        };
    }

    /** A successful list answer, changed by a list fault. */
    static WireResponse alter(Fault fault, ApiResponse answer) {
        ObjectNode body = answer.body();
        ApiResponse.ListContext list = answer.list();
        switch (fault.kind()) {
            case MALFORMED_JSON -> {
                // every envelope starts with "status":"success"; without its colon nothing parses
                return WireResponse.text(200, WireResponse.JSON,
                        Json.write(body).replaceFirst("\"status\":", "\"status\" "));
            }
            case TRUNCATED_JSON -> {
                return WireResponse.text(200, WireResponse.JSON, firstHalf(Json.write(body)));
            }
            case MISSING_ARRAY -> body.remove(list.key());
            case REPEAT_NEXT_PAGE -> pointTo(body, list.links().page(list.page()));
            case FOREIGN_NEXT_PAGE -> pointTo(body, list.links().onBase(PageLinks.FOREIGN_BASE).page(list.page() + 1));
            case EMPTY_PAGE_HAS_MORE -> {
                body.putArray(list.key());
                pointTo(body, list.links().page(list.page() + 1));
            }
            default -> throw new IllegalArgumentException("not a list fault: " + fault);
        }
        return WireResponse.json(200, body);
    }

    private static void pointTo(ObjectNode body, String nextPage) {
        body.put("has_more", true);
        body.put("next_page", nextPage);
    }

    /** The first half of a text, not splitting a surrogate pair (the bytes stay valid UTF-8). */
    private static String firstHalf(String text) {
        int cut = text.length() / 2;
        if (cut > 0 && Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--;
        }
        return text.substring(0, cut);
    }

    private static String errorPage(int status) {
        String title = status + " " + switch (status) {
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Temporarily Unavailable";
            case 504 -> "Gateway Time-out";
            default -> "Server Error";
        };
        return "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title
                + "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
    }
}
