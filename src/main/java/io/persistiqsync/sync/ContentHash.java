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
 * stay those already stored in caches; strings, whole numbers, booleans and nulls are written here
 * directly because {@code toString()} builds a JSON generator per value, which was a third of a sync's
 * Java time (profile in BENCHMARKS.md).
 */
final class ContentHash {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

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
            case STRING -> quote(node.textValue(), out);
            case BOOLEAN, NULL -> out.append(node.asText());
            case NUMBER -> {
                if (node.isInt() || node.isLong()) out.append(node.longValue());
                else out.append(node.toString());
            }
            default -> out.append(node.toString());
        }
    }

    /** A JSON string as Jackson writes it: quote, backslash and control characters escaped, the rest as is. */
    private static void quote(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                out.append(c);
                continue;
            }
            out.append('\\');
            switch (c) {
                case '"', '\\' -> out.append(c);
                case '\b' -> out.append('b');
                case '\t' -> out.append('t');
                case '\n' -> out.append('n');
                case '\f' -> out.append('f');
                case '\r' -> out.append('r');
                default -> out.append("u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        out.append('"');
    }
}
