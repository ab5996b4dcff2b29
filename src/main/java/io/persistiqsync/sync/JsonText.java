package io.persistiqsync.sync;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * JSON text exactly as Jackson writes it ({@code node.toString()}: compact, fields in their order,
 * strings with quote, backslash and control characters escaped, the rest as is), written into a
 * StringBuilder. {@code toString()} builds a JSON generator per call, which made the JSON columns and
 * the content hash a fifth of a sync's Java time (profile in BENCHMARKS.md); JsonTextTest and
 * ContentHashTest compare this text with Jackson's own.
 */
final class JsonText {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private JsonText() {
    }

    static String of(JsonNode node) {
        StringBuilder out = new StringBuilder(256);
        write(node, out);
        return out.toString();
    }

    static void write(JsonNode node, StringBuilder out) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                out.append('{');
                boolean first = true;
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> field = it.next();
                    if (!first) out.append(',');
                    first = false;
                    quote(field.getKey(), out);
                    out.append(':');
                    write(field.getValue(), out);
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) out.append(',');
                    write(node.get(i), out);
                }
                out.append(']');
            }
            default -> scalar(node, out);
        }
    }

    /** A value that is no object or array: string, number, boolean, null (others as Jackson writes them). */
    static void scalar(JsonNode node, StringBuilder out) {
        switch (node.getNodeType()) {
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
    static void quote(String text, StringBuilder out) {
        out.append('"');
        // most strings need no escape: found by a scan, copied in one append (char by char was 12% of a sync's Java time)
        int clean = 0;
        while (clean < text.length()) {
            char c = text.charAt(clean);
            if (c < 0x20 || c == '"' || c == '\\') break;
            clean++;
        }
        out.append(text, 0, clean);
        for (int i = clean; i < text.length(); i++) {
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
