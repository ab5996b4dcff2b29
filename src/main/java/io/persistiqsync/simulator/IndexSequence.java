package io.persistiqsync.simulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The record indices one query returns, in ascending order: a run of generated indices (minus the
 * hidden ones and those a filter rejects) merged with a short sorted list of stored indices. Leads
 * and events are served through it.
 *
 * <p>Without a filter on the run, the position of any index is a matter of arithmetic on the two
 * sorted arrays, so page 9,000 of a million leads is found by binary search, not by walking 900,000
 * leads. With a filter (lead status, event kind) the run has to be walked.
 */
final class IndexSequence {

    private final int from;
    private final int to;
    private final int[] hidden;
    private final IntPredicate runFilter;
    private final int[] stored;

    /**
     * @param from      first index of the run
     * @param to        end of the run (exclusive)
     * @param hidden    sorted indices the run skips
     * @param runFilter the indices of the run to keep, or null for all
     * @param stored    sorted indices outside the run (never in it unless hidden) to merge in
     */
    IndexSequence(int from, int to, int[] hidden, IntPredicate runFilter, int[] stored) {
        this.from = from;
        this.to = Math.max(from, to);
        this.hidden = hidden;
        this.runFilter = runFilter;
        this.stored = stored;
    }

    /** The indices at positions {@code skip} to {@code skip + take - 1} (fewer at the end). */
    List<Integer> slice(long skip, int take) {
        if (runFilter != null) {
            return walk(0, skip, take);
        }
        int start = indexAt(skip);
        return start < 0 ? List.of() : walk(start, 0, take);
    }

    /** The index at a position (from 0), or -1 when the sequence is shorter. Needs a run without filter. */
    private int indexAt(long position) {
        int high = Math.max(to, stored.length == 0 ? 0 : stored[stored.length - 1] + 1);
        if (high == 0 || countThrough(high - 1) <= position) {
            return -1;
        }
        int low = 0;
        while (low < high) { // the smallest index with more than `position` members at or below it
            int middle = (low + high) >>> 1;
            if (countThrough(middle) > position) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        return low;
    }

    /** How many members are at or below {@code index}. */
    private long countThrough(int index) {
        long count = upperBound(stored, index);
        int last = Math.min(index, to - 1);
        if (last >= from) {
            count += (last - from + 1) - (upperBound(hidden, last) - upperBound(hidden, from - 1));
        }
        return count;
    }

    private List<Integer> walk(int start, long skip, int take) {
        List<Integer> members = new ArrayList<>(take);
        int run = nextInRun(start);
        int next = upperBound(stored, start - 1);
        long toSkip = skip;
        while (members.size() < take && (run < to || next < stored.length)) {
            int member;
            if (run < to && (next == stored.length || run < stored[next])) {
                member = run;
                run = nextInRun(run + 1);
            } else {
                member = stored[next++];
            }
            if (toSkip > 0) {
                toSkip--;
            } else {
                members.add(member);
            }
        }
        return members;
    }

    private int nextInRun(int index) {
        for (int i = Math.max(index, from); i < to; i++) {
            if (Arrays.binarySearch(hidden, i) < 0 && (runFilter == null || runFilter.test(i))) {
                return i;
            }
        }
        return to;
    }

    /** The number of elements of a sorted array that are at most {@code value}. */
    private static int upperBound(int[] sorted, int value) {
        int low = 0;
        int high = sorted.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (sorted[middle] <= value) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }
}
