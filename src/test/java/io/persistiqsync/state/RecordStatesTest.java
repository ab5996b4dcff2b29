package io.persistiqsync.state;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A run's record states: what the idempotent consumer is told about a record, without an exchange or a database. */
class RecordStatesTest {
    @Test
    void aRecordNeverStoredIsNewOnceAndUnchangedWhenShownAgainInTheBatch() {
        RecordStates states = new RecordStates("leads", true);
        assertTrue(states.add("l_1", "aa"), "never stored: let through");
        assertTrue(states.isNew("l_1"));
        assertFalse(states.add("l_1", "aa"), "the same content again in the batch: a duplicate");
        assertTrue(states.add("l_1", "bb"), "other content: let through again");
        assertTrue(states.isNew("l_1"), "still the record's first appearance ever");
    }

    @Test
    void aStoredHashDecidesAndTheBatchsStagedHashesEndWithIt() {
        RecordStates states = new RecordStates("leads", false);
        states.stored.put("l_2", "aa");
        assertTrue(states.contains("l_2", "aa"));
        assertFalse(states.add("l_2", "aa"), "unchanged since stored");
        assertTrue(states.add("l_2", "bb"), "changed");
        assertFalse(states.isNew("l_2"), "stored before: a change, not a new record");
        assertTrue(states.contains("l_2", "bb"));
        states.batchEnded();
        assertFalse(states.contains("l_2", "bb"), "staged hashes end with the batch (committed or rolled back)");
        assertTrue(states.contains("l_2", "aa"));
    }
}
