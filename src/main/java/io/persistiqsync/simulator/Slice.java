package io.persistiqsync.simulator;

import java.util.List;

/** One page of a list: its items and whether any item follows them. */
record Slice<T>(List<T> items, boolean hasMore) {

    /** Page {@code page} (from 1) of a list held in memory. */
    static <T> Slice<T> of(List<T> all, int page, int size) {
        long from = (long) (page - 1) * size;
        if (from >= all.size()) {
            return new Slice<>(List.of(), false);
        }
        int to = (int) Math.min(all.size(), from + size);
        return new Slice<>(List.copyOf(all.subList((int) from, to)), to < all.size());
    }
}
