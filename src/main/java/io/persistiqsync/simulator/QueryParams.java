package io.persistiqsync.simulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The decoded query parameters of a request, in the order they came; the first of repeated ones wins. */
final class QueryParams {

    private final Map<String, String> values;

    private QueryParams(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** Parses a raw (still encoded) query string; null or empty gives no parameters. */
    static QueryParams parse(String rawQuery) {
        Map<String, String> values = new LinkedHashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String name = decode(equals < 0 ? pair : pair.substring(0, equals));
                String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
                values.putIfAbsent(name, value);
            }
        }
        return new QueryParams(values);
    }

    Map<String, String> asMap() {
        return values;
    }

    /** A parameter's value; null when it is absent or blank, since a blank filter filters nothing. */
    String get(String name) {
        String value = values.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    /**
     * The {@code page} parameter: 1 when absent.
     *
     * @throws ApiError 400 {@code bad_params} when it is not a whole number of at least 1
     */
    int page() {
        String value = values.get("page");
        if (value == null) {
            return 1;
        }
        try {
            int page = Integer.parseInt(value);
            if (page >= 1) {
                return page;
            }
        } catch (NumberFormatException e) {
            // answered below, like a page below 1
        }
        throw ApiError.badParams("page must be a whole number of at least 1, got: " + value);
    }

    /** A time filter, or null when absent; see {@link Timestamps#parseFilter}. */
    Instant instant(String name) {
        String value = get(name);
        return value == null ? null : Timestamps.parseFilter(name, value);
    }

    /** Decodes like a form (so '+' is a space); text with a broken %-escape is kept as it came. */
    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
