package io.persistiqsync.sync;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
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

    /** per thread: the canonical text, its UTF-8 bytes and the digest, reused (a sync hashes every record) */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    static String of(JsonNode record) {
        Scratch scratch = SCRATCH.get();
        scratch.canonical.setLength(0);
        write(record, scratch.canonical);
        while (true) {
            CharBuffer chars = CharBuffer.wrap(scratch.canonical);
            scratch.bytes.clear();
            scratch.encoder.reset();
            CoderResult result = scratch.encoder.encode(chars, scratch.bytes, true);
            if (!result.isOverflow()) result = scratch.encoder.flush(scratch.bytes);
            if (!result.isOverflow()) break;
            scratch.grow();
        }
        scratch.digest.update(scratch.bytes.array(), 0, scratch.bytes.position());
        return HexFormat.of().formatHex(scratch.digest.digest(), 0, 16);
    }

    private static final class Scratch {
        final StringBuilder canonical = new StringBuilder(2048);
        // a lone surrogate becomes '?', as String.getBytes(UTF_8) writes it: hashes stay those of before
        final CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        final MessageDigest digest;
        ByteBuffer bytes = ByteBuffer.allocate(4096);

        Scratch() {
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every JDK", e);
            }
        }

        /** a record too big for the buffer: encoded again into one twice the size */
        void grow() {
            bytes = ByteBuffer.allocate(bytes.capacity() * 2);
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
