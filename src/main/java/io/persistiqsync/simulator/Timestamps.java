package io.persistiqsync.simulator;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** Time formats the API speaks. */
final class Timestamps {

    /** Rails' ISO-8601 with milliseconds and an offset, e.g. {@code 2014-07-09T15:08:44.000-07:00}. */
    private static final DateTimeFormatter RAILS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxxx");

    /**
     * An offset whose {@code +} a client left unencoded reaches us decoded as a space
     * ({@code 2024-01-01T00:00:00 00:00}); the digits around the space tell it from any other text.
     */
    private static final Pattern UNENCODED_PLUS = Pattern.compile("(\\d) (\\d{2}:\\d{2})$");

    private Timestamps() {
    }

    static String rails(Instant instant, ZoneOffset offset) {
        return OffsetDateTime.ofInstant(instant, offset).format(RAILS);
    }

    /**
     * A filter value such as {@code updated_after}: ISO-8601 with an offset or {@code Z}.
     *
     * @throws ApiError 400 {@code bad_params} when the value does not parse
     */
    static Instant parseFilter(String parameter, String value) {
        String repaired = UNENCODED_PLUS.matcher(value.trim()).replaceFirst("$1+$2");
        try {
            return OffsetDateTime.parse(repaired, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiError.badParams(parameter + " must be an ISO 8601 time with an offset, e.g. 2017-10-17T07:37:00-07:00");
        }
    }
}
