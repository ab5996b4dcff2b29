package io.persistiqsync.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdCodecTest {

    private final IdCodec leads = new IdCodec("l_", 42);

    @Test
    void idsAreUniqueWellFormedAndDecodeToTheirIndex() {
        Set<String> seen = new HashSet<>();
        for (long index = 0; index < 50_000; index++) {
            String id = leads.encode(index);
            assertTrue(seen.add(id), id);
            assertEquals(index, leads.decode(id));
        }
        assertTrue(seen.stream().allMatch(id -> id.matches("l_[0-9A-Za-z]{6}")));
        long large = 56_800_235_583L; // the last index the six characters can hold
        assertEquals(large, leads.decode(leads.encode(large)));
    }

    @Test
    void foreignTextIsNoId() {
        String id = leads.encode(5);
        assertEquals(-1, leads.decode("u_" + id.substring(2)));
        assertEquals(-1, leads.decode(id + "x"));
        assertEquals(-1, leads.decode("l_abc-12"));
        assertEquals(-1, leads.decode(null));
    }

    @Test
    void theSeedAndThePrefixChangeTheIds() {
        assertNotEquals(leads.encode(1).substring(2), new IdCodec("l_", 43).encode(1).substring(2));
        assertNotEquals(leads.encode(1).substring(2), new IdCodec("u_", 42).encode(1).substring(2));
    }
}
