package io.persistiqsync.sync;

import java.util.ArrayList;
import java.util.List;

import io.persistiqsync.cache.CacheRecord;

/** The records of one page after the state check: each with whether it is unchanged since stored. */
public class RecordBatch {
    record Entry(CacheRecord record, boolean unchanged) {
    }

    private final List<Entry> entries = new ArrayList<>();

    void add(CacheRecord record, boolean unchanged) {
        entries.add(new Entry(record, unchanged));
    }

    List<Entry> entries() {
        return entries;
    }

    public int size() {
        return entries.size();
    }
}
