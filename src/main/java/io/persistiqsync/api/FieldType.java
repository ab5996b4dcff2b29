package io.persistiqsync.api;

/** The type of a field as the cache stores it; each cache dialect maps it to a SQL type. */
public enum FieldType {
    TEXT, BOOLEAN, INTEGER, NUMBER, TIMESTAMP, JSON;

    /** The type that holds values of both: anything mixed widens to TEXT (JSON text for structures). */
    public FieldType widen(FieldType other) {
        if (this == other) return this;
        if ((this == INTEGER && other == NUMBER) || (this == NUMBER && other == INTEGER)) return NUMBER;
        return TEXT;
    }
}
