package io.persistiqsync.simulator;

import java.time.Instant;

/**
 * The filters of {@code GET /v1/leads} (contract §4.2); a null component does not filter. Times are
 * strictly-after comparisons.
 */
record LeadFilter(Instant updatedAfter, Instant createdAfter, String status, String statusId, String email) {

    /** Only the lead with this e-mail address. */
    static LeadFilter byEmail(String email) {
        return new LeadFilter(null, null, null, null, email);
    }

    boolean filtersStatus() {
        return status != null || statusId != null;
    }
}
