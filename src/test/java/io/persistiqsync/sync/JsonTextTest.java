package io.persistiqsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.persistiqsync.api.FieldType;
import io.persistiqsync.cache.CacheStore;

/** The hand-written fast paths of shaping give exactly what the library paths they replace gave. */
class JsonTextTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void jsonTextIsJacksonsOwn() throws Exception {
        StringBuilder every = new StringBuilder();
        for (char c = 0; c < 0x100; c++) every.append(c);
        ObjectNode record = json.createObjectNode();
        record.put("every_char", every.toString());
        record.put("unicode \"name\"\n", "Zoë \u2028 \uD83D\uDE00 / <tag> 'q' \"dq\" back\\slash");
        record.put("int", 42).put("long", 9_007_199_254_740_993L).put("negative", -7);
        record.put("double", 1.5e-7).put("big", new java.math.BigDecimal("12345678901234567890.123"));
        record.put("bigint", new java.math.BigInteger("123456789012345678901234567890"));
        record.put("yes", true).put("no", false).putNull("nothing");
        record.set("nested", json.readTree("{\"b\":[1,\"two\",{\"z\":null,\"a\":[]}],\"a\":{}}"));
        record.put("", "empty name");
        for (JsonNode node : List.of(record, json.readTree("[]"), json.readTree("{}"), json.readTree("[1,[2,[]],{\"x\":\"y\"}]"),
                json.readTree("\"text\""), json.readTree("3.25"))) {
            assertEquals(node.toString(), JsonText.of(node));
        }
    }

    @Test
    void usualTimestampsReadAsTheIsoParserReadsThem() throws Exception {
        for (String t : List.of("2014-07-09T15:08:44.000-07:00", "2014-07-09T15:08:44Z", "2014-07-09T15:08:44.1+05:30",
                "2024-02-29T23:59:59.123456789Z", "1999-12-31T23:00:00.5-00:00", "0001-01-01T00:00:00Z", "2014-07-09T15:08:44.000+14:00")) {
            assertEquals(OffsetDateTime.parse(t).toInstant(), FieldValues.parseUsual(t), t);
            assertEquals(OffsetDateTime.parse(t).toInstant(), FieldValues.parseInstant(t), t);
        }
        // other forms are left to the general parsers (which read them or refuse them)
        for (String t : List.of("2014-07-09 15:08:44-07:00", "2014-07-09T15:08:44", "2023-02-29T10:00:00Z", "2014-07-09T15:08:44.Z",
                "2014-07-09T15:08:44+0700", "2014-07-09T15:08:44.0000000001Z", "2014-7-09T15:08:44Z", "2014-07-09T25:08:44Z")) {
            assertNull(FieldValues.parseUsual(t), t);
        }
        assertEquals(Instant.parse("2014-07-09T22:08:44Z"), FieldValues.parseInstant("2014-07-09 15:08:44-07:00"));
    }

    @Test
    void sqlTimestampsAreTheFormattersText() throws Exception {
        java.time.format.DateTimeFormatter formatter = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx")
                .withZone(java.time.ZoneOffset.UTC);
        for (Instant i : List.of(Instant.parse("2014-07-09T22:08:44Z"), Instant.parse("2024-02-29T23:59:59.123456789Z"),
                Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999Z"), Instant.EPOCH, Instant.parse("1969-12-31T23:59:59.5Z"),
                Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("-0001-06-01T00:00:00Z"))) {
            assertEquals(formatter.format(i), CacheStore.timestamp(i), i.toString());
        }
        assertEquals("2014-07-09 22:08:44.000000+00:00", FieldValues.toText(json.readTree("\"2014-07-09T15:08:44.000-07:00\""), FieldType.TIMESTAMP));
    }
}
