package io.persistiqsync.state;

import java.util.BitSet;

/**
 * A Bloom filter of record ids: "might contain" for every id added, rarely for one that was not. It
 * answers in constant memory (4 MB) whether an id can have been stored earlier in the run, so a first
 * sync looks up only those ids instead of every page's. At 1,000,000 ids about 1 in 1,600 others is
 * looked up needlessly; a needless lookup only costs a query, never a wrong answer.
 */
final class IdFilter {
    private static final int BITS = 1 << 25;
    private static final int HASHES = 3;
    private final BitSet bits = new BitSet(BITS);

    void add(String id) {
        long h = hash(id);
        for (int i = 0; i < HASHES; i++) bits.set(index(h, i));
    }

    boolean mightContain(String id) {
        long h = hash(id);
        for (int i = 0; i < HASHES; i++) {
            if (!bits.get(index(h, i))) return false;
        }
        return true;
    }

    /** double hashing: the i-th index is h1 + i * h2 */
    private static int index(long h, int i) {
        int h1 = (int) h;
        int h2 = (int) (h >>> 32) | 1;
        return (h1 + i * h2) & (BITS - 1);
    }

    /** 64 bits from the id's characters (FNV-1a, then mixed so that both halves are well spread) */
    private static long hash(String id) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            h ^= id.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }
}
