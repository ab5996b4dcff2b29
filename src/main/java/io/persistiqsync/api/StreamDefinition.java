package io.persistiqsync.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One readable PersistIQ list: where it lives, what its records look like and how it can be read
 * incrementally.
 *
 * @param name        the stream's name, which is also its table's name
 * @param path        the API path; child streams contain {@code {parent_id}}
 * @param recordsKey  the envelope key holding the records
 * @param paged       whether the endpoint takes {@code ?page=N}
 * @param parent      the stream whose ids fan this one out (campaign_leads per campaign), or null
 * @param filter      the server-side filter used for incremental reads
 * @param fields      the documented top-level fields, in column order
 * @param derived     extra columns read from inside a record (column -> JSON pointer)
 * @param flattenData whether {@code data.*} also becomes {@code data__*} columns (leads)
 * @param defaultSelected part of the default selection
 * @param cost        a note on what the stream costs in requests
 */
public record StreamDefinition(
        String name,
        String path,
        String recordsKey,
        boolean paged,
        String parent,
        IncrementalFilter filter,
        Map<String, FieldType> fields,
        Map<String, String> derived,
        boolean flattenData,
        boolean defaultSelected,
        String cost) {

    public static final String PRIMARY_KEY = "id";

    /** How a stream can ask the API for only what is new. */
    public enum IncrementalFilter {
        /** no filter: every read is complete (and so sees deletes) */
        NONE(null),
        /** leads: {@code updated_after} */
        UPDATED_AFTER("updated_after"),
        /** events and replies: {@code start_at} */
        START_AT("start_at");

        public final String parameter;

        IncrementalFilter(String parameter) {
            this.parameter = parameter;
        }
    }

    /**
     * Whether {@code GET <path>/<id>} answers one record: documented for leads only (contract §4.3).
     * A full pass asks it about records it did not see before marking them deleted.
     */
    public boolean recordLookup() {
        return name.equals("leads");
    }

    public String pathFor(String parentId) {
        return parentId == null ? path : path.replace("{parent_id}", parentId);
    }

    static Map<String, FieldType> fields(Object... nameTypePairs) {
        Map<String, FieldType> map = new LinkedHashMap<>();
        for (int i = 0; i < nameTypePairs.length; i += 2) {
            map.put((String) nameTypePairs[i], (FieldType) nameTypePairs[i + 1]);
        }
        return map;
    }

    public List<String> fieldNames() {
        return List.copyOf(fields.keySet());
    }
}
