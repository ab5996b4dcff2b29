package io.persistiqsync.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The one reader of a page's pagination fields. The contract is unsure which the API sends, so both
 * are read defensively: {@code has_more} decides when present (a boolean, or its text); else a
 * non-empty {@code next_page} means there is more.
 */
public final class Pagination {
    private Pagination() {
    }

    /** Whether the page says another one follows. */
    public static boolean saysMore(JsonNode page) {
        if (page == null || !page.isObject()) return false;
        JsonNode hasMore = page.get("has_more");
        if (hasMore != null && !hasMore.isNull()) return hasMore.asBoolean() || "true".equalsIgnoreCase(hasMore.asText());
        return nextPageLink(page) != null;
    }

    /** next_page as given (a URL whose page= parameter names the next page), or null when absent or empty. */
    public static String nextPageLink(JsonNode page) {
        JsonNode next = page == null ? null : page.get("next_page");
        return next != null && next.isTextual() && !next.asText().isBlank() ? next.asText().trim() : null;
    }
}
