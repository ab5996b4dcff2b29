package io.persistiqsync.cache;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import io.persistiqsync.api.FieldType;

/**
 * Snowflake, through its JDBC driver (a jar in {@code drivers/}: it is ~100 MB and not built in).
 *
 * <ul>
 * <li>Types: JSON as VARIANT (parsed with PARSE_JSON on the way out of the all-text stage), timestamps
 * as TIMESTAMP_TZ, whole numbers as NUMBER(38,0), other numbers as FLOAT.</li>
 * <li>Stages are TEMPORARY tables: private to the session (two syncs never share one), gone with it,
 * and without Time Travel or Fail-safe storage.</li>
 * <li>A batch travels as one JSON array of rows bound to one INSERT ... SELECT over FLATTEN: one
 * statement per batch (per few MB of it), never one per row.</li>
 * <li>Upserts are the standard MERGE on the key (Snowflake's own), inherited.</li>
 * </ul>
 *
 * Every DDL statement commits the open transaction in Snowflake: the cache makes and widens tables
 * before a batch's rows, never between them, so no batch is committed half-way.
 */
public class SnowflakeDialect extends GenericJdbcDialect {
    /** Without it the driver probes cloud metadata addresses (169.254.169.254, ...) when it connects. */
    static final String DISABLE_PLATFORM_DETECTION = "disablePlatformDetection";
    /**
     * A session parameter: an account that sets it to TRUE folds quoted names to upper case, so the
     * columns "data__email" and "DATA__EMAIL" would be one and the cache could no longer find its own.
     */
    static final String QUOTED_IDENTIFIERS_IGNORE_CASE = "QUOTED_IDENTIFIERS_IGNORE_CASE";
    /**
     * Characters of JSON bound to one INSERT. Snowflake takes a bound text (and a VARIANT) of up to 16 MB;
     * a Java char is at most 3 bytes of UTF-8, so 4 Mi chars stay under it with room to spare.
     */
    private static final int CHUNK_CHARS = 4 << 20;
    private static final JsonFactory JSON = new JsonFactory();

    private final int chunkChars;

    public SnowflakeDialect() {
        this(CHUNK_CHARS);
    }

    /** @param chunkChars characters of JSON that close a chunk (tests make it small) */
    SnowflakeDialect(int chunkChars) {
        this.chunkChars = chunkChars;
    }

    @Override
    public String name() {
        return "snowflake";
    }

    /** Defaults the user can still set otherwise, in the URL or as properties (the driver reads both, any case). */
    @Override
    public void connectionDefaults(String url, Properties props) {
        setUnlessGiven(url, props, DISABLE_PLATFORM_DETECTION, "true");
        setUnlessGiven(url, props, QUOTED_IDENTIFIERS_IGNORE_CASE, "false");
    }

    private static void setUnlessGiven(String url, Properties props, String key, String value) {
        int query = url.indexOf('?');
        List<String> urlKeys = query < 0 ? List.of()
                : Arrays.stream(url.substring(query + 1).split("&")).map(p -> p.split("=", 2)[0]).toList();
        boolean given = props.stringPropertyNames().stream().anyMatch(key::equalsIgnoreCase) || urlKeys.stream().anyMatch(key::equalsIgnoreCase);
        if (!given) props.setProperty(key, value);
    }

    @Override
    public String sqlType(FieldType type) {
        return switch (type) {
            case TEXT -> "VARCHAR";
            case BOOLEAN -> "BOOLEAN";
            case INTEGER -> "NUMBER(38,0)";
            case NUMBER -> "FLOAT";
            case TIMESTAMP -> "TIMESTAMP_TZ";
            case JSON -> "VARIANT";
        };
    }

    /** JSON text becomes a VARIANT through PARSE_JSON: a CAST would store the text as one JSON string. */
    @Override
    public String cast(String expression, FieldType type) {
        return type == FieldType.JSON ? "PARSE_JSON(" + expression + ")" : super.cast(expression, type);
    }

    @Override
    public String createStage(String schema, String stage, String columns) {
        return "CREATE TEMPORARY TABLE " + stageTable(schema, stage) + " (" + columns + ")";
    }

    /**
     * The rows as one JSON array of objects, bound as one text to one INSERT ... SELECT that takes it
     * apart (FLATTEN gives one row per element): a batch costs one statement per few MB. Each row maps
     * column positions to values; a NULL is left out, as a missing key reads as SQL NULL (a JSON null
     * would be a VARIANT null, not NULL). JDBC batches would be one request too (array binding), but
     * Snowflake's emulator runs those row by row.
     */
    @Override
    public void bulkLoad(Connection connection, String schema, String table, List<String> columns, List<String[]> rows) throws SQLException {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) values.add("r.value['" + i + "']::VARCHAR");
        String sql = "INSERT INTO " + qualified(schema, table) + " (" + columns.stream().map(this::quote).collect(Collectors.joining(", ")) + ") SELECT "
                + String.join(", ", values) + " FROM TABLE(FLATTEN(INPUT => PARSE_JSON(?))) r";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            JsonChunk chunk = new JsonChunk();
            for (String[] row : rows) {
                chunk.add(row);
                if (chunk.length() >= chunkChars) {
                    insert.setString(1, chunk.close());
                    insert.executeUpdate();
                    chunk = new JsonChunk();
                }
            }
            if (!chunk.isEmpty()) {
                insert.setString(1, chunk.close());
                insert.executeUpdate();
            }
        }
    }

    /** Rows written into a JSON array as they come, each as {"0": value, "1": value, ...}. */
    private static final class JsonChunk {
        private final StringWriter text = new StringWriter();
        private final JsonGenerator json;
        private int rows;

        JsonChunk() {
            try {
                json = JSON.createGenerator(text);
                json.writeStartArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e); // a StringWriter does not fail
            }
        }

        void add(String[] row) {
            try {
                json.writeStartObject();
                for (int i = 0; i < row.length; i++) {
                    if (row[i] != null) json.writeStringField(Integer.toString(i), row[i]);
                }
                json.writeEndObject();
                json.flush();
                rows++;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        int length() {
            return text.getBuffer().length();
        }

        boolean isEmpty() {
            return rows == 0;
        }

        String close() {
            try {
                json.writeEndArray();
                json.close();
                return text.toString();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Snowflake changes a column's type in place only to a synonym or a longer VARCHAR / more precise
     * NUMBER, never NUMBER to FLOAT or anything to VARCHAR: the values are copied into a new column that
     * then takes the old one's name (it moves to the end of the table).
     *
     * <p>Each ALTER commits by itself in Snowflake, so this cannot be one transaction. Stopped before the
     * old column is dropped, the table is as it was (the copy, never committed, is dropped by the next
     * try); stopped between the drop and the rename (one statement), the values are in the column named
     * {@code <column>__widening}, from where they can be put back by hand.
     */
    @Override
    public List<String> widenColumn(String table, String column, FieldType from, FieldType to) {
        String old = quote(column);
        String copy = quote(column + "__widening");
        return List.of("ALTER TABLE " + table + " DROP COLUMN IF EXISTS " + copy,
                "ALTER TABLE " + table + " ADD COLUMN " + copy + " " + sqlType(to),
                "UPDATE " + table + " SET " + copy + " = " + convert(old, from, to),
                "ALTER TABLE " + table + " DROP COLUMN " + old,
                "ALTER TABLE " + table + " RENAME COLUMN " + copy + " TO " + old);
    }

    /** A value of one type as the wider type, written as the sync itself would write it. */
    private String convert(String column, FieldType from, FieldType to) {
        if (to != FieldType.TEXT) return super.cast(column, to);
        return switch (from) {
            case JSON -> "TO_JSON(" + column + ")";
            // the form CacheStore.timestamp writes (a plain cast would keep milliseconds only)
            case TIMESTAMP -> "TO_VARCHAR(" + column + ", 'YYYY-MM-DD HH24:MI:SS.FF6TZH:TZM')";
            default -> super.cast(column, FieldType.TEXT);
        };
    }
}
