package io.persistiqsync.management;

import io.persistiqsync.api.RatePacer;

/**
 * The rate pacer's counters at one moment. The pacer counts for the whole process; streams run one at
 * a time, so what it counted between a run's start and end belongs to that run.
 */
record PacerMark(long waits, long waitedMillis, long rateLimited) {
    static final PacerMark ZERO = new PacerMark(0, 0, 0);

    static PacerMark of(RatePacer pacer) {
        return new PacerMark(pacer.waits(), pacer.waitedMillis(), pacer.rateLimited());
    }

    PacerMark plus(PacerMark o) {
        return new PacerMark(waits + o.waits, waitedMillis + o.waitedMillis, rateLimited + o.rateLimited);
    }

    PacerMark since(PacerMark start) {
        return new PacerMark(waits - start.waits, waitedMillis - start.waitedMillis, rateLimited - start.rateLimited);
    }
}
