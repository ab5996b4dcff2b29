package io.persistiqsync.simulator;

import java.time.Instant;

/** The filters of {@code GET /v1/events} (contract §4.12); a null component does not filter. */
record EventFilter(Instant startAt, Instant endAt, String group, String campaign, String lead, String user) {

    /** Whether a filter other than time applies: those have to look at each event. */
    boolean filtersContent() {
        return group != null || campaign != null || lead != null || user != null;
    }
}
