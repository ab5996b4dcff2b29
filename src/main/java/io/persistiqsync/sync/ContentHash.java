package io.persistiqsync.sync;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A record's content hash: SHA-256 over its JSON with object keys sorted, so that the same content
 * hashes the same however the API orders its fields. 128 bits of it are kept: plenty to tell versions apart.
 *
 * The canonical text is exactly what Jackson writes for each value ({@code node.toString()}), so hashes
 * stay those already stored in caches; the values are written by {@link JsonText}, because
 * {@code toString()} builds a JSON generator per value (profile in BENCHMARKS.md).
 */
final class ContentHash {
    private ContentHash() {
    }

    static String of(JsonNode record) {
        StringBuilder canonical = new StringBuilder(1024);
        write(record, canonical);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static void write(JsonNode node, StringBuilder out) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<String> names = new ArrayList<>(node.size());
                for (Iterator<String> it = node.fieldNames(); it.hasNext();) names.add(it.next());
                Collections.sort(names);
                out.append('{');
                for (String name : names) {
                    out.append('"').append(name).append("\":");
                    write(node.get(name), out);
                    out.append(',');
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                for (JsonNode element : node) {
                    write(element, out);
                    out.append(',');
                }
                out.append(']');
            }
            default -> JsonText.scalar(node, out);
        }
    }
}
