package io.persistiqsync.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/**
 * The account's leads: generated ones are rebuilt from their index on demand; only the changes are
 * kept (edited, added or restored leads as stored JSON, removed ones as a set of indices). Indices are
 * creation order, and every list is served in that order.
 *
 * <p>Thread-safe: reads share a lock, changes take it alone. Stored JSON is never modified after it
 * is stored (a change stores a new copy), so answers can be serialised after the lock is released.
 */
final class LeadStore {

    /** A lead whose current state differs from its generated one, or that was never generated. */
    private record StoredLead(ObjectNode json, Instant createdAt, Instant updatedAt) {
    }

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final LeadGenerator generator;
    private final LeadTimeline timeline;
    private final Catalog catalog;
    private final IdCodec fieldIds;
    private final int generatedCount;
    private final List<String> generatedCustomFields;

    // guarded by lock
    private final List<String> customFields;
    private final TreeMap<Integer, StoredLead> stored = new TreeMap<>();
    private final TreeSet<Integer> removed = new TreeSet<>();
    private int nextIndex;
    private int editCount;
    private Instant lastStamp = Instant.EPOCH;

    LeadStore(long seed, LeadGenerator generator, Catalog catalog, int generatedCount, List<String> customFields) {
        this.generator = generator;
        this.timeline = new LeadTimeline(seed, generatedCount);
        this.catalog = catalog;
        this.fieldIds = new IdCodec("lcf_", seed);
        this.generatedCount = generatedCount;
        this.generatedCustomFields = List.copyOf(customFields);
        this.customFields = new ArrayList<>(customFields);
        this.nextIndex = generatedCount;
    }

    // ---- reading ----

    /** One page of {@code GET /v1/leads}. */
    Slice<ObjectNode> page(LeadFilter filter, int page, int size) {
        lock.readLock().lock();
        try {
            List<Integer> indices = sequence(filter).slice((long) (page - 1) * size, size + 1);
            List<ObjectNode> leads = indices.stream().limit(size).map(this::currentJson).toList();
            return new Slice<>(leads, indices.size() > size);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** A live lead by id or e-mail address ({@code GET /v1/leads/{id}}), or null. */
    ObjectNode find(String idOrEmail) {
        lock.readLock().lock();
        try {
            int index = generator.indexOf(idOrEmail);
            if (index < 0 && idOrEmail.contains("@")) {
                List<Integer> byEmail = sequence(LeadFilter.byEmail(idOrEmail)).slice(0, 1);
                index = byEmail.isEmpty() ? -1 : byEmail.get(0);
            }
            return isLiveLocked(index) ? currentJson(index) : null;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The current JSON of a lead, or null when it does not exist or was removed. */
    ObjectNode current(int index) {
        lock.readLock().lock();
        try {
            return isLiveLocked(index) ? currentJson(index) : null;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The index of a lead id (live or not), or -1. */
    int indexOf(String id) {
        return generator.indexOf(id);
    }

    boolean isLive(int index) {
        lock.readLock().lock();
        try {
            return isLiveLocked(index);
        } finally {
            lock.readLock().unlock();
        }
    }

    int liveCount() {
        lock.readLock().lock();
        try {
            return nextIndex - removed.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    List<String> liveIds() {
        lock.readLock().lock();
        try {
            return IntStream.range(0, nextIndex).filter(i -> !removed.contains(i)).mapToObj(generator::id).toList();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** {@code GET /v1/lead_fields}: the standard fields, then the custom ones in the order they were made. */
    List<ObjectNode> fields() {
        lock.readLock().lock();
        try {
            List<ObjectNode> fields = new ArrayList<>();
            List<String> names = new ArrayList<>(LeadGenerator.STANDARD_FIELDS);
            names.addAll(customFields);
            for (int i = 0; i < names.size(); i++) {
                ObjectNode field = Json.object();
                field.put("id", fieldIds.encode(i));
                field.put("name", names.get(i));
                field.put("label", names.get(i)); // the docs' example has label == name
                fields.add(field);
            }
            return fields;
        } finally {
            lock.readLock().unlock();
        }
    }

    // ---- changing ----

    /** Changes the title and snippet of {@code n} live leads spread over the whole range. */
    List<String> edit(int n) {
        lock.writeLock().lock();
        try {
            List<String> ids = new ArrayList<>();
            for (int index : spreadLiveIndices(n)) {
                ObjectNode json = withCurrentFields(index);
                editCount++;
                ObjectNode data = (ObjectNode) json.get("data");
                data.put("title", "Edited title #" + editCount);
                data.put("snippet", "Changed by the simulator, edit " + editCount + " ✎");
                store(index, json);
                ids.add(generator.id(index));
            }
            return ids;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Creates {@code n} leads after the last one; they carry every current custom field. */
    List<String> add(int n) {
        requireNotNegative(n);
        lock.writeLock().lock();
        try {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = nextIndex++;
                Instant now = stamp();
                stored.put(index, new StoredLead(generator.lead(index, customFields), now, now));
                ids.add(generator.id(index));
            }
            return ids;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes {@code n} live leads spread over the whole range. */
    List<String> remove(int n) {
        lock.writeLock().lock();
        try {
            List<String> ids = new ArrayList<>();
            for (int index : spreadLiveIndices(n)) {
                removed.add(index);
                ids.add(generator.id(index));
            }
            return ids;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Brings a removed lead back, as it was, but updated now. */
    void restore(String id) {
        lock.writeLock().lock();
        try {
            int index = generator.indexOf(id);
            if (!removed.remove(index)) {
                throw new IllegalArgumentException("not a removed lead: " + id);
            }
            store(index, currentJson(index));
        } finally {
            lock.writeLock().unlock();
        }
    }

    void addCustomField(String name) {
        lock.writeLock().lock();
        try {
            if (name.isEmpty() || LeadGenerator.STANDARD_FIELDS.contains(name) || customFields.contains(name)) {
                throw new IllegalArgumentException("lead field is empty or exists already: " + name);
            }
            customFields.add(name);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Sets {@code data.<field>} of a live lead (null = JSON null) and marks it updated now. */
    void setField(String id, String field, JsonNode value) {
        change(id, json -> ((ObjectNode) json.get("data")).set(field, value == null ? NullNode.getInstance() : value.deepCopy()));
    }

    /** Sets a top-level field of a live lead (null removes it) and marks it updated now. */
    void setAttribute(String id, String field, JsonNode value) {
        change(id, json -> {
            if (value == null) json.remove(field);
            else json.set(field, value.deepCopy());
        });
    }

    /** Changes a copy of a live lead's JSON and stores it, updated now. */
    private void change(String id, java.util.function.Consumer<ObjectNode> edit) {
        lock.writeLock().lock();
        try {
            int index = generator.indexOf(id);
            if (!isLiveLocked(index)) {
                throw new NoSuchElementException("no live lead " + id);
            }
            ObjectNode json = currentJson(index).deepCopy();
            edit.accept(json);
            store(index, json);
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ---- internals (callers hold the lock) ----

    private boolean isLiveLocked(int index) {
        return index >= 0 && index < nextIndex && !removed.contains(index);
    }

    private ObjectNode currentJson(int index) {
        StoredLead lead = stored.get(index);
        return lead != null ? lead.json() : generator.lead(index, generatedCustomFields);
    }

    /** A copy of the lead's current JSON that also has the custom fields made since it was generated. */
    private ObjectNode withCurrentFields(int index) {
        ObjectNode json = currentJson(index).deepCopy();
        ObjectNode data = (ObjectNode) json.get("data");
        for (String field : customFields) {
            if (!data.has(field)) {
                data.set(field, generator.customValue(index, field));
            }
        }
        return json;
    }

    private void store(int index, ObjectNode json) {
        StoredLead previous = stored.get(index);
        Instant createdAt = previous != null ? previous.createdAt() : timeline.createdAt(index);
        stored.put(index, new StoredLead(json, createdAt, stamp()));
    }

    /** Now, but strictly later than any earlier change, so that "updated after" never ties. */
    private Instant stamp() {
        Instant now = Instant.now();
        lastStamp = now.isAfter(lastStamp) ? now : lastStamp.plusNanos(1_000);
        return lastStamp;
    }

    /** {@code n} distinct live indices at evenly spaced positions among the live leads. */
    private List<Integer> spreadLiveIndices(int n) {
        requireNotNegative(n);
        int live = nextIndex - removed.size();
        if (n > live) {
            throw new IllegalArgumentException("only " + live + " live leads, asked for " + n);
        }
        IndexSequence liveLeads = new IndexSequence(0, nextIndex, toArray(removed), null, new int[0]);
        List<Integer> indices = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            long position = (2L * k + 1) * live / (2L * n); // the middle of the k-th of n equal stretches
            indices.add(liveLeads.slice(position, 1).get(0));
        }
        return indices;
    }

    /** The leads a filter selects: generated leads not superseded by a stored one, plus stored ones. */
    private IndexSequence sequence(LeadFilter filter) {
        int from = 0;
        int to = generatedCount;
        if (filter.updatedAfter() != null) {
            from = Math.max(from, timeline.firstUpdatedAfter(filter.updatedAfter()));
        }
        if (filter.createdAfter() != null) {
            from = Math.max(from, timeline.firstCreatedAfter(filter.createdAfter()));
        }
        if (filter.email() != null) { // a generated address names its lead's index
            int index = LeadGenerator.indexInEmail(filter.email());
            boolean generated = index >= from && index < to
                    && generator.person(index).email().equalsIgnoreCase(filter.email());
            from = generated ? index : 0;
            to = generated ? index + 1 : 0;
        }
        Predicate<String> statusMatches = statusMatcher(filter);
        IntPredicate runFilter = statusMatches == null ? null : i -> statusMatches.test(generator.statusName(i));

        TreeSet<Integer> hidden = new TreeSet<>(removed.headSet(generatedCount));
        hidden.addAll(stored.headMap(generatedCount).keySet());
        int[] matchingStored = stored.entrySet().stream()
                .filter(entry -> !removed.contains(entry.getKey()) && matches(entry.getValue(), filter, statusMatches))
                .mapToInt(Map.Entry::getKey)
                .toArray();
        return new IndexSequence(from, to, toArray(hidden), runFilter, matchingStored);
    }

    private static boolean matches(StoredLead lead, LeadFilter filter, Predicate<String> statusMatches) {
        return (filter.updatedAfter() == null || lead.updatedAt().isAfter(filter.updatedAfter()))
                && (filter.createdAfter() == null || lead.createdAt().isAfter(filter.createdAfter()))
                && (statusMatches == null || statusMatches.test(lead.json().path("status").textValue()))
                && (filter.email() == null
                        || filter.email().equalsIgnoreCase(lead.json().path("data").path("email").textValue()));
    }

    /** Tests a lead's status name against the status filters; null when there are none. */
    private Predicate<String> statusMatcher(LeadFilter filter) {
        if (!filter.filtersStatus()) {
            return null;
        }
        return name -> name != null
                && (filter.status() == null || filter.status().equals(name))
                && (filter.statusId() == null || filter.statusId().equals(catalog.statusId(name)));
    }

    private static int[] toArray(TreeSet<Integer> sorted) {
        return sorted.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void requireNotNegative(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("count must not be negative: " + n);
        }
    }
}
