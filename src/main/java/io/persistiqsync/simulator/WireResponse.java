package io.persistiqsync.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** An answer as it goes on the wire: status, content type, bytes and extra headers. */
record WireResponse(int status, String contentType, byte[] body, Map<String, String> headers) {

    static final String JSON = "application/json; charset=utf-8";

    static WireResponse json(int status, JsonNode body) {
        return new WireResponse(status, JSON, Json.writeBytes(body), Map.of());
    }

    static WireResponse text(int status, String contentType, String body) {
        return new WireResponse(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    WireResponse withHeaders(Map<String, String> more) {
        if (more.isEmpty()) {
            return this;
        }
        Map<String, String> merged = new LinkedHashMap<>(headers);
        merged.putAll(more);
        return new WireResponse(status, contentType, body, merged);
    }
}
