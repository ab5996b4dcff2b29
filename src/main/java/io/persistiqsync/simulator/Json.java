package io.persistiqsync.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The one Jackson mapper of the simulator and the envelopes every answer is wrapped in (contract §2). */
final class Json {

    /** Writes emoji and other non-BMP characters as plain UTF-8, not as escaped surrogate pairs. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree built in memory always serialises", e);
        }
    }

    /** UTF-8 JSON, straight to bytes (no intermediate string for the common case). */
    static byte[] writeBytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree built in memory always serialises", e);
        }
    }

    /** {@code {"status":"success","errors":[]}}: the start of every list answer. */
    static ObjectNode listEnvelope() {
        ObjectNode envelope = object();
        envelope.put("status", "success");
        envelope.putArray("errors");
        return envelope;
    }

    /** {@code {"status":"success","error":null,"<key>":{...}}}: a single object. */
    static ObjectNode singleEnvelope(String key, JsonNode value) {
        ObjectNode envelope = object();
        envelope.put("status", "success");
        envelope.putNull("error");
        envelope.set(key, value);
        return envelope;
    }

    /**
     * The 401 answer. It echoes the presented key, as the real API does (contract §1): a client must
     * therefore never log this body verbatim.
     */
    static ObjectNode unauthorized(String presentedKey) {
        String key = presentedKey == null ? "" : presentedKey;
        return errorEnvelope("unauthorized", "Failed to find api key: " + key + ".  Did you set header 'x-api-key' ...");
    }

    /** The 429 answer, worded (and misspelt) as the docs quote it (contract §6). */
    static ObjectNode tooManyRequests(int limit, long resetEpochSecond) {
        return errorEnvelope("too_many_requests", "You performed more than " + limit
                + " requests per minute. Limit will be reseted at " + resetEpochSecond + ".");
    }

    /** {@code {"status":"error","error":{"reason":...,"message":...}}}. */
    static ObjectNode errorEnvelope(String reason, String message) {
        ObjectNode envelope = object();
        envelope.put("status", "error");
        ObjectNode error = envelope.putObject("error");
        error.put("reason", reason);
        error.put("message", message);
        return envelope;
    }
}
