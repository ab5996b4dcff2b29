package io.persistiqsync.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The page arithmetic against a plain enumeration, on many random shapes. */
class IndexSequenceTest {

    @Test
    void slicesMatchAPlainEnumeration() {
        Random random = new Random(1);
        for (int round = 0; round < 2_000; round++) {
            int from = random.nextInt(20);
            int to = from + random.nextInt(60);
            TreeSet<Integer> hidden = randomSubset(random, 0, to + 5, random.nextInt(15));
            // stored indices lie outside the run, or inside it only where the run is hidden
            TreeSet<Integer> stored = new TreeSet<>();
            for (int index : randomSubset(random, 0, to + 40, random.nextInt(15))) {
                if (index < from || index >= to || hidden.contains(index)) {
                    stored.add(index);
                }
            }
            IntPredicate filter = random.nextBoolean() ? null : i -> i % 3 != 0;

            List<Integer> expected = new ArrayList<>();
            IntStream.range(0, to + 40).forEach(i -> {
                boolean inRun = i >= from && i < to && !hidden.contains(i) && (filter == null || filter.test(i));
                if (inRun || stored.contains(i)) {
                    expected.add(i);
                }
            });
            IndexSequence sequence = new IndexSequence(from, to, toArray(hidden), filter, toArray(stored));
            int skip = random.nextInt(expected.size() + 3);
            int take = 1 + random.nextInt(10);

            List<Integer> slice = sequence.slice(skip, take);

            List<Integer> want = expected.subList(Math.min(skip, expected.size()),
                    Math.min(skip + take, expected.size()));
            assertEquals(want, slice, "round " + round);
        }
    }

    private static TreeSet<Integer> randomSubset(Random random, int from, int to, int size) {
        TreeSet<Integer> subset = new TreeSet<>();
        for (int i = 0; i < size && to > from; i++) {
            subset.add(from + random.nextInt(to - from));
        }
        return subset;
    }

    private static int[] toArray(TreeSet<Integer> sorted) {
        return sorted.stream().mapToInt(Integer::intValue).toArray();
    }
}
