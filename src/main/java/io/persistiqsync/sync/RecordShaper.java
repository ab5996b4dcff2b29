package io.persistiqsync.sync;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;

import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Headers;

import com.fasterxml.jackson.databind.JsonNode;

import io.persistiqsync.api.FieldType;
import io.persistiqsync.api.StreamDefinition;
import io.persistiqsync.cache.CacheRecord;
import io.persistiqsync.cache.ColumnNames;
import io.persistiqsync.cache.StreamColumns;
import io.persistiqsync.cache.StreamColumns.Column;
import io.persistiqsync.routes.RouteNames;
import io.persistiqsync.sync.FieldValues.BadValueException;

/**
 * Turns one API record into a {@link CacheRecord}: top-level fields become typed columns, nested
 * objects JSON columns, a lead's {@code data} fields also {@code data__<name>} columns. Fields never
 * seen before get a column; a record without an id, or with a documented field of the wrong type,
 * is refused with the reason (it goes to {@code _rejected}, the sync goes on).
 */
public class RecordShaper {
    static final String DATA_FIELD = "data";
    static final String DATA_PREFIX = "data__";

    public CacheRecord shape(@Body JsonNode record, @ExchangeProperty(RouteNames.STREAM_RUN) StreamRun run, @Headers Map<String, Object> headers) {
        CacheRecord shaped = shape(record, run);
        if (shaped.isAccepted()) headers.put(RouteNames.RECORD_STATE_KEY, shaped.stateKey());
        return shaped;
    }

    CacheRecord shape(JsonNode record, StreamRun run) {
        StreamDefinition stream = run.stream();
        if (!record.isObject()) return refused(stream, null, record, "the record is not a JSON object");
        JsonNode idNode = record.get(StreamDefinition.PRIMARY_KEY);
        if (idNode == null || !idNode.isValueNode() || idNode.isNull() || idNode.asText().isBlank()) {
            return refused(stream, null, record, "the record has no id");
        }
        String id = idNode.asText();
        StreamColumns columns = run.columns();
        String[] values = new String[columns.size()];
        String field = null;
        try {
            for (Iterator<Map.Entry<String, JsonNode>> it = record.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> entry = it.next();
                field = entry.getKey();
                Column column = columns.get(field);
                if (column == null || !column.declared()) {
                    FieldType type = FieldValues.typeOf(entry.getValue());
                    if (type == null && column == null) continue;
                    if (type != null) column = columns.observe(field, ColumnNames::normalize, type);
                }
                values = set(values, column, FieldValues.toText(entry.getValue(), column.type()), columns);
            }
            for (Map.Entry<String, String> derived : stream.derived().entrySet()) {
                field = derived.getKey();
                values = set(values, columns.get("derived." + field), FieldValues.toText(record.at(derived.getValue()), FieldType.TEXT), columns);
            }
            if (stream.flattenData() && record.path(DATA_FIELD).isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = record.get(DATA_FIELD).fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> entry = it.next();
                    field = DATA_FIELD + "." + entry.getKey();
                    Column column = columns.observe(field, RecordShaper::dataColumn, FieldType.TEXT);
                    values = set(values, column, FieldValues.toText(entry.getValue(), FieldType.TEXT), columns);
                }
            }
        } catch (BadValueException e) {
            return refused(stream, id, record, field + ": " + e.getMessage());
        }
        // the raw JSON is kept only for refused records (it goes to _rejected): no second serialisation of every record
        return new CacheRecord(stream.name(), id, ContentHash.of(record), values, null, null);
    }

    /** The value at its column's place; the array grows when the record brought a new column. */
    private static String[] set(String[] values, Column column, String value, StreamColumns columns) {
        String[] out = column.position() < values.length ? values : Arrays.copyOf(values, columns.size());
        out[column.position()] = value;
        return out;
    }

    /** data.First Name -> data__first_name */
    static String dataColumn(String dataField) {
        return DATA_PREFIX + ColumnNames.normalize(dataField.substring(DATA_FIELD.length() + 1));
    }

    private static CacheRecord refused(StreamDefinition stream, String id, JsonNode raw, String reason) {
        return new CacheRecord(stream.name(), id, null, new String[0], raw.toString(), reason);
    }
}
