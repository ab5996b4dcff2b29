package io.persistiqsync.sync;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.persistiqsync.api.FieldType;
import io.persistiqsync.cache.CacheStore;

/** JSON values as the text the cache casts to each column type; values that do not fit are refused. */
final class FieldValues {
    private static final DateTimeFormatter SPACE_SEPARATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSSSSS][.SSSSSS][.SSS]XXX");

    private static final java.util.regex.Pattern WHOLE_NUMBER = java.util.regex.Pattern.compile("-?\\d{1,18}");

    private FieldValues() {
    }

    /** The narrowest type holding a value of an undeclared field (null for JSON null: no evidence yet). */
    static FieldType typeOf(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) return null;
        if (value.isBoolean()) return FieldType.BOOLEAN;
        if (value.isIntegralNumber() && value.canConvertToLong()) return FieldType.INTEGER;
        if (value.isNumber()) return FieldType.NUMBER;
        if (value.isContainerNode()) return FieldType.JSON;
        return FieldType.TEXT;
    }

    /** The value as text for a column of this type. */
    static String toText(JsonNode value, FieldType type) throws BadValueException {
        if (value == null || value.isNull() || value.isMissingNode()) return null;
        return switch (type) {
            case TEXT -> value.isValueNode() ? value.asText() : JsonText.of(value);
            case JSON -> jsonText(value);
            case BOOLEAN -> {
                if (value.isBoolean()) yield Boolean.toString(value.booleanValue());
                String t = value.asText().trim().toLowerCase();
                if (value.isTextual() && (t.equals("true") || t.equals("false"))) yield t;
                throw new BadValueException("expected a boolean, got " + shortly(value));
            }
            case INTEGER -> {
                if (value.isIntegralNumber() && value.canConvertToLong()) yield value.asText();
                if (value.isTextual() && WHOLE_NUMBER.matcher(value.asText().trim()).matches()) yield value.asText().trim();
                throw new BadValueException("expected a whole number, got " + shortly(value));
            }
            case NUMBER -> {
                if (value.isNumber()) yield value.asText();
                try {
                    if (value.isTextual()) yield Double.toString(Double.parseDouble(value.asText().trim()));
                } catch (NumberFormatException ignored) {
                    // falls through to the refusal below
                }
                throw new BadValueException("expected a number, got " + shortly(value));
            }
            case TIMESTAMP -> {
                if (!value.isTextual()) throw new BadValueException("expected a date-time, got " + shortly(value));
                yield CacheStore.timestamp(parseInstant(value.asText().trim()));
            }
        };
    }

    /**
     * JSON as text, its strings without NUL characters: PostgreSQL's jsonb refuses them (the batch would
     * fail on every sync), and the same record reads the same on every sink.
     */
    private static String jsonText(JsonNode value) {
        String text = JsonText.of(value);
        return text.contains("\\u0000") ? JsonText.of(withoutNul(value)) : text;
    }

    private static JsonNode withoutNul(JsonNode node) {
        if (node.isTextual()) return TextNode.valueOf(node.textValue().replace("\u0000", ""));
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            node.fields().forEachRemaining(e -> out.set(e.getKey().replace("\u0000", ""), withoutNul(e.getValue())));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> out.add(withoutNul(element)));
            return out;
        }
        return node;
    }

    /** ISO-8601 as PersistIQ writes it (2014-07-09T15:08:44.000-07:00), with Z, or without an offset (UTC). */
    static Instant parseInstant(String text) throws BadValueException {
        Instant usual = parseUsual(text);
        if (usual != null) return usual;
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e1) {
            try {
                return OffsetDateTime.parse(text, SPACE_SEPARATED).toInstant();
            } catch (DateTimeParseException e2) {
                try {
                    return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException e3) {
                    throw new BadValueException("expected a date-time, got \"" + abbreviate(text) + "\"");
                }
            }
        }
    }

    /**
     * The form PersistIQ writes (2014-07-09T15:08:44.000-07:00, or with Z), read digit by digit: the
     * general ISO parser was a twentieth of a sync's Java time. Null for anything else (or a field out
     * of range), which the general parsers then read or refuse.
     */
    static Instant parseUsual(String t) {
        int n = t.length();
        if (n < 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':' || t.charAt(16) != ':') return null;
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) return null;
        int i = 19;
        int nanos = 0;
        if (t.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 9 && Character.isDigit(t.charAt(i))) nanos = nanos * 10 + (t.charAt(i++) - '0');
            if (i == start) return null;
            for (int k = i - start; k < 9; k++) nanos *= 10;
        }
        int offset;
        if (i == n - 1 && t.charAt(i) == 'Z') {
            offset = 0;
        } else if (i == n - 6 && (t.charAt(i) == '+' || t.charAt(i) == '-') && t.charAt(i + 3) == ':') {
            int oh = digits(t, i + 1, 2);
            int om = digits(t, i + 4, 2);
            if ((oh | om) < 0 || oh > 18 || om > 59) return null;
            offset = (oh * 3600 + om * 60) * (t.charAt(i) == '-' ? -1 : 1);
        } else {
            return null;
        }
        try {
            return Instant.ofEpochSecond(LocalDateTime.of(year, month, day, hour, minute, second).toEpochSecond(ZoneOffset.ofTotalSeconds(offset)), nanos);
        } catch (java.time.DateTimeException outOfRange) {
            return null;
        }
    }

    /** The number written by {@code count} ASCII digits at {@code from}, or -1. */
    private static int digits(String t, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static String shortly(JsonNode value) {
        return abbreviate(value.toString());
    }

    private static String abbreviate(String text) {
        return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }

    /** A value that does not fit its declared column. */
    static class BadValueException extends Exception {
        BadValueException(String message) {
            super(message);
        }
    }
}
