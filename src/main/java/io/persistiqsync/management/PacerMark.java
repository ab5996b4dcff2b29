package io.persistiqsync.management;

import io.persistiqsync.api.RatePacer;

/**
 * The rate pacer's counters at one moment, or their growth over a run: the waits the API forced (after
 * a 429, for a window it announced as spent), the waits of our own pacing (kept apart, so that a
 * RateLimitWaits above 0 means the API pushed back), and the 429 answers. The pacer counts for the whole
 * process; streams run one at a time, so what it counted between a run's start and end belongs to that run.
 */
record PacerMark(long rateLimitWaits, long rateLimitWaitMillis, long pacingWaits, long pacingWaitMillis, long rateLimited) {
    static final PacerMark ZERO = new PacerMark(0, 0, 0, 0, 0);

    static PacerMark of(RatePacer pacer) {
        return new PacerMark(pacer.rateLimitWaits(), pacer.rateLimitWaitedMillis(), pacer.pacingWaits(), pacer.pacingWaitedMillis(),
                pacer.rateLimited());
    }

    PacerMark since(PacerMark start) {
        return new PacerMark(rateLimitWaits - start.rateLimitWaits, rateLimitWaitMillis - start.rateLimitWaitMillis, pacingWaits - start.pacingWaits,
                pacingWaitMillis - start.pacingWaitMillis, rateLimited - start.rateLimited);
    }

    PacerMark plus(PacerMark o) {
        return new PacerMark(rateLimitWaits + o.rateLimitWaits, rateLimitWaitMillis + o.rateLimitWaitMillis, pacingWaits + o.pacingWaits,
                pacingWaitMillis + o.pacingWaitMillis, rateLimited + o.rateLimited);
    }
}
