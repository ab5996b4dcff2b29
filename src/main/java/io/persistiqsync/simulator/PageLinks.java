package io.persistiqsync.simulator;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Builds {@code next_page} URLs: absolute, with the request's other parameters kept (re-encoded) and
 * {@code page=N} last, as the Singer tap's parsing shows the real ones are (contract §3).
 */
final class PageLinks {

    /** Where {@link Fault#FOREIGN_NEXT_PAGE} points: a host a client must refuse to send its key to. */
    static final String FOREIGN_BASE = "https://evil.example.com";

    private final String base;
    private final String path;
    private final Map<String, String> params;

    /**
     * @param base   scheme, host and port, without a trailing slash
     * @param path   the request's path
     * @param params the request's decoded parameters
     */
    PageLinks(String base, String path, Map<String, String> params) {
        this.base = base;
        this.path = path;
        this.params = params;
    }

    String page(int page) {
        String others = params.entrySet().stream()
                .filter(param -> !param.getKey().equals("page"))
                .map(param -> encode(param.getKey()) + "=" + encode(param.getValue()))
                .collect(Collectors.joining("&"));
        return base + path + "?" + (others.isEmpty() ? "" : others + "&") + "page=" + page;
    }

    PageLinks onBase(String otherBase) {
        return new PageLinks(otherBase, path, params);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
