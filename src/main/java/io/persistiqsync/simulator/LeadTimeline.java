package io.persistiqsync.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.function.IntFunction;

/**
 * When each generated lead was created and last updated. Leads never show these times (contract §5),
 * but {@code created_after} and {@code updated_after} filter on them.
 *
 * <p>Generated leads are spread evenly over 2019-2024, in index order, and each one's update falls
 * before the next one's creation. Both times therefore grow with the index, so "the generated leads
 * updated after T" is a suffix of the index range, found by binary search rather than a scan.
 */
final class LeadTimeline {

    private static final Instant FIRST = Instant.parse("2019-01-01T00:00:00Z");
    private static final long SPAN_MILLIS = Duration.between(FIRST, Instant.parse("2025-01-01T00:00:00Z")).toMillis();
    private static final long UPDATED = Seeds.stream("lead.updated");

    private final long seed;
    private final int count;
    private final long stepMillis;

    /** @param count how many leads were generated */
    LeadTimeline(long seed, int count) {
        this.seed = seed;
        this.count = count;
        this.stepMillis = Math.max(1, SPAN_MILLIS / Math.max(1, count));
    }

    Instant createdAt(int index) {
        return FIRST.plusMillis(index * stepMillis);
    }

    Instant updatedAt(int index) {
        return createdAt(index).plusMillis(Math.floorMod(Seeds.hash(seed, UPDATED, index), stepMillis));
    }

    /** The first index whose lead was created strictly after {@code time}; {@code count} when none. */
    int firstCreatedAfter(Instant time) {
        return firstAfter(time, this::createdAt);
    }

    /** The first index whose lead was updated strictly after {@code time}; {@code count} when none. */
    int firstUpdatedAfter(Instant time) {
        return firstAfter(time, this::updatedAt);
    }

    private int firstAfter(Instant time, IntFunction<Instant> timeOf) {
        int low = 0;
        int high = count;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (timeOf.apply(middle).isAfter(time)) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        return low;
    }
}
