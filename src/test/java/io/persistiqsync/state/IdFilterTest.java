package io.persistiqsync.state;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IdFilterTest {
    @Test
    void everyAddedIdIsFoundAndFewOthersAre() {
        IdFilter filter = new IdFilter();
        for (int i = 0; i < 1_000_000; i++) filter.add("l_" + Integer.toString(i, 36));
        for (int i = 0; i < 1_000_000; i++) assertTrue(filter.mightContain("l_" + Integer.toString(i, 36)), "added id " + i);
        int falsePositives = 0;
        for (int i = 0; i < 1_000_000; i++) if (filter.mightContain("x_" + Integer.toString(i, 36))) falsePositives++;
        // 3 hashes over 2^25 bits at 1,000,000 ids: ~0.06% (630) expected
        assertTrue(falsePositives < 2_000, falsePositives + " of 1,000,000 ids never added were reported as added");
    }
}
