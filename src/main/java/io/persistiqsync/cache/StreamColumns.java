package io.persistiqsync.cache;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import io.persistiqsync.api.FieldType;
import io.persistiqsync.api.StreamDefinition;

/**
 * The columns of one stream's table: which field lands in which column with which type. Names are
 * given once and kept (stored in {@code _fields}), so a column never changes meaning between syncs;
 * a name taken by another field gets a numbered suffix. New fields and widened types are collected
 * here and applied to the table before the rows that need them.
 */
public class StreamColumns {

    /**
     * @param field    where the value comes from: a top-level name, {@code data.<name>} or {@code derived.<column>}
     * @param position its place among the stream's columns (kept when the type widens): a shaped record's
     *                 values are an array in this order, so rows are built without a lookup per value
     */
    public record Column(String field, String name, FieldType type, boolean declared, int position) {
        /** a column not yet placed (its position is given when it joins the stream's columns) */
        public Column(String field, String name, FieldType type, boolean declared) {
            this(field, name, type, declared, -1);
        }
    }

    private final Map<String, Column> byField = new LinkedHashMap<>();
    private final Set<String> names = new HashSet<>();
    private final Map<String, Column> changed = new LinkedHashMap<>();

    /** The declared columns, then those stored from earlier syncs. */
    public StreamColumns(StreamDefinition stream, Collection<Column> stored) {
        stream.fields().forEach((field, type) -> put(new Column(field, ColumnNames.normalize(field), type, true)));
        stream.derived().keySet().forEach(column -> put(new Column("derived." + column, column, FieldType.TEXT, true)));
        for (Column c : stored) {
            Column known = byField.get(c.field());
            if (known == null) put(c);
            else if (!known.declared() && known.type() != c.type()) put(c);
        }
        changed.putAll(byField);
    }

    private Column put(Column column) {
        Column known = byField.get(column.field());
        Column placed = new Column(column.field(), column.name(), column.type(), column.declared(), known != null ? known.position() : byField.size());
        byField.put(placed.field(), placed);
        names.add(placed.name());
        return placed;
    }

    public Column get(String field) {
        return byField.get(field);
    }

    /**
     * The column for a field not declared by the stream, created or widened as its values need.
     *
     * @param columnName the name a new column gets, from the field name (only called for new fields)
     */
    public Column observe(String field, UnaryOperator<String> columnName, FieldType type) {
        Column known = byField.get(field);
        if (known == null) {
            String baseName = columnName.apply(field);
            String name = baseName;
            for (int n = 2; names.contains(name); n++) name = baseName + "_" + n;
            known = put(new Column(field, name, type, false));
            changed.put(field, known);
        } else if (!known.declared() && known.type() != type && known.type() != known.type().widen(type)) {
            known = put(new Column(field, known.name(), known.type().widen(type), false));
            changed.put(field, known);
        }
        return known;
    }

    public List<Column> all() {
        return List.copyOf(byField.values());
    }

    public int size() {
        return byField.size();
    }

    public List<String> names() {
        return byField.values().stream().map(Column::name).toList();
    }

    /** Columns added or widened since the last call (all of them on the first call). */
    public List<Column> drainChanges() {
        List<Column> out = new ArrayList<>(changed.values());
        changed.clear();
        return out;
    }
}
