package io.persistiqsync.state;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.persistiqsync.cache.CacheStore;

/**
 * One stream run's view of {@code _record_state}: the stored hashes of the page being read (prefetched
 * a page at a time), the hashes staged since the last commit, and, for a stream that had no state when
 * the run began, which ids this run stored. It belongs to the run (see {@link Owner}), never to the
 * repository, so runs of several streams or accounts never share it.
 */
public final class RecordStates {
    /** What the idempotent repository needs from the run an exchange carries. */
    public interface Owner {
        RecordStates recordStates();

        /** the cache the run writes to (its connection may be replaced after a lost one) */
        CacheStore store();

        /** the ids of the page just read */
        List<String> pageIds();
    }

    final String stream;
    /** stored hash per id, for the ids of the current page (a null hash: known but forgotten or deleted) */
    final Map<String, String> stored = new HashMap<>();
    /** hashes added since the last commit */
    final Map<String, String> pending = new HashMap<>();
    /** ids added since the last commit that had never been stored */
    final Set<String> newIds = new HashSet<>();
    /** the ids this run stored, when the stream had no state at its start (else null: every page is looked up) */
    final IdFilter storedThisRun;

    RecordStates(String stream, boolean emptyAtStart) {
        this.stream = stream;
        this.storedThisRun = emptyAtStart ? new IdFilter() : null;
    }

    public String stream() {
        return stream;
    }

    /** Whether the last add of this id was its first appearance ever (else it is a change). */
    public synchronized boolean isNew(String id) {
        return newIds.contains(id);
    }

    synchronized boolean contains(String id, String hash) {
        String known = pending.containsKey(id) ? pending.get(id) : stored.get(id);
        return hash.equals(known);
    }

    synchronized boolean add(String id, String hash) {
        if (contains(id, hash)) return false;
        if (!stored.containsKey(id) && !pending.containsKey(id)) newIds.add(id);
        pending.put(id, hash);
        return true;
    }

    synchronized boolean remove(String id) {
        return pending.remove(id) != null;
    }

    /** The staged hashes are now in the database (or were rolled back): start over. */
    public synchronized void batchEnded() {
        pending.clear();
        newIds.clear();
    }
}
