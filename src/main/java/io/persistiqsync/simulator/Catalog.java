package io.persistiqsync.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The account's fixed {@code {id, name}} lists: lead statuses, do-not-contact domains and tags.
 * Nothing changes them, so they are built once.
 */
final class Catalog {

    private final List<String> statusNames;
    private final IdCodec statusIds;
    private final List<ObjectNode> leadStatuses;
    private final List<ObjectNode> dncDomains;
    private final List<ObjectNode> tags;

    Catalog(long seed, int dncDomainCount, int tagCount) {
        this.statusNames = SamplePools.LEAD_STATUSES;
        this.statusIds = new IdCodec("lss_", seed);
        this.leadStatuses = named(statusIds, statusNames);
        this.dncDomains = named(new IdCodec("dom_", seed), names(SamplePools.DNC_DOMAINS, dncDomainCount, "blocked-%d.example"));
        this.tags = named(new IdCodec("tag_", seed), names(SamplePools.TAGS, tagCount, "tag %d"));
    }

    List<String> statusNames() {
        return statusNames;
    }

    /** The id of a lead status, or null for an unknown name. */
    String statusId(String name) {
        int index = statusNames.indexOf(name);
        return index < 0 ? null : statusIds.encode(index);
    }

    List<ObjectNode> leadStatuses() {
        return leadStatuses;
    }

    List<ObjectNode> dncDomains() {
        return dncDomains;
    }

    List<ObjectNode> tags() {
        return tags;
    }

    /** The pool first, then numbered names made from {@code pattern} once the pool runs out. */
    private static List<String> names(List<String> pool, int count, String pattern) {
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add(i < pool.size() ? pool.get(i) : String.format(pattern, i));
        }
        return names;
    }

    private static List<ObjectNode> named(IdCodec ids, List<String> names) {
        List<ObjectNode> items = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            ObjectNode item = Json.object();
            item.put("id", ids.encode(i));
            item.put("name", names.get(i));
            items.add(item);
        }
        return List.copyOf(items);
    }
}
