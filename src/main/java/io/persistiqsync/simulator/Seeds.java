package io.persistiqsync.simulator;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic randomness. Every generated value is a pure function of (seed, stream, index), so a
 * record can be regenerated on demand instead of being stored, and the same seed always yields the
 * same account.
 */
final class Seeds {

    private Seeds() {
    }

    /** The SplitMix64 finaliser: a cheap, well-mixed bijection on 64-bit values. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** A salt naming one independent stream; String.hashCode is specified, so it is stable across JVMs. */
    static long stream(String name) {
        return mix(name.hashCode());
    }

    static long hash(long seed, long stream, long index) {
        return mix(mix(seed ^ stream) + index * 0x9e3779b97f4a7c15L);
    }

    static SplittableRandom random(long seed, long stream, long index) {
        return new SplittableRandom(hash(seed, stream, index));
    }

    static <T> T pick(SplittableRandom random, List<T> pool) {
        return pool.get(random.nextInt(pool.size()));
    }

    /** True with the given percentage. */
    static boolean chance(SplittableRandom random, int percent) {
        return random.nextInt(100) < percent;
    }
}
