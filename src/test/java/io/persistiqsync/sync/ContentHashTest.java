package io.persistiqsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The hash must stay what caches already store: compared with the canonical text Jackson itself writes. */
class ContentHashTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void hashesEqualThoseOfJacksonsOwnCanonicalText() throws Exception {
        StringBuilder every = new StringBuilder();
        for (char c = 0; c < 0x100; c++) every.append(c);
        ObjectNode record = json.createObjectNode();
        record.put("every_char", every.toString());
        record.put("unicode", "Zoë \u2028 \uD83D\uDE00 / <tag> 'q' \"dq\" back\\slash");
        record.put("int", 42).put("long", 9_007_199_254_740_993L).put("negative", -7);
        record.put("double", 1.5e-7).put("big", new java.math.BigDecimal("12345678901234567890.123"));
        record.put("yes", true).put("no", false).putNull("nothing");
        record.set("nested", json.readTree("{\"b\":[1,\"two\",{\"z\":null,\"a\":[]}],\"a\":{}}"));
        record.put("", "empty name");
        record.put("lone_surrogate", "a\uD800b");
        // bigger than the hash's first buffer (4 KB), in two-byte characters
        ObjectNode big = json.createObjectNode().put("id", "l_big").put("notes", "é".repeat(5_000));
        for (JsonNode node : List.of(record, big, json.readTree("[]"), json.readTree("\"text\""), json.readTree("3.25"))) {
            assertEquals(jacksonHash(node), ContentHash.of(node), node.toString());
        }
    }

    @Test
    void fieldOrderDoesNotMatterButContentDoes() throws Exception {
        JsonNode one = json.readTree("{\"id\":\"l_1\",\"data\":{\"a\":1,\"b\":\"x\"}}");
        JsonNode reordered = json.readTree("{\"data\":{\"b\":\"x\",\"a\":1},\"id\":\"l_1\"}");
        JsonNode changed = json.readTree("{\"id\":\"l_1\",\"data\":{\"a\":1,\"b\":\"y\"}}");
        assertEquals(ContentHash.of(one), ContentHash.of(reordered));
        assertNotEquals(ContentHash.of(one), ContentHash.of(changed));
    }

    /** The original definition: keys sorted, every scalar as Jackson's toString() writes it. */
    private static String jacksonHash(JsonNode node) throws Exception {
        StringBuilder out = new StringBuilder();
        canonical(node, out);
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(out.toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 16);
    }

    private static void canonical(JsonNode node, StringBuilder out) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = node.fieldNames(); it.hasNext();) names.add(it.next());
            Collections.sort(names);
            out.append('{');
            for (String name : names) {
                out.append('"').append(name).append("\":");
                canonical(node.get(name), out);
                out.append(',');
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (JsonNode element : node) {
                canonical(element, out);
                out.append(',');
            }
            out.append(']');
        } else {
            out.append(node.toString());
        }
    }
}
