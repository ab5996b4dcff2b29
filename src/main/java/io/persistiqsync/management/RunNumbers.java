package io.persistiqsync.management;

import io.persistiqsync.state.SyncRunLog.RunCounts;

/**
 * The counts of one run, or a sum of runs: records by outcome, pages, API requests, retries, and the
 * rate pacer's waits and 429 answers.
 */
record RunNumbers(long created, long changed, long unchanged, long deleted, long rejected, long pages, long requests, long retries,
        PacerMark pacer) {

    static final RunNumbers ZERO = new RunNumbers(0, 0, 0, 0, 0, 0, 0, 0, PacerMark.ZERO);

    static RunNumbers of(RunCounts c, long retries, PacerMark pacer) {
        return new RunNumbers(c.created(), c.changed(), c.unchanged(), c.deleted(), c.rejected(), c.pages(), c.requests(), retries, pacer);
    }

    /** Records read from the API: new, changed and unchanged ones (deleted ones were not read). */
    long records() {
        return created + changed + unchanged;
    }

    RunNumbers plus(RunNumbers o) {
        return new RunNumbers(created + o.created, changed + o.changed, unchanged + o.unchanged, deleted + o.deleted, rejected + o.rejected,
                pages + o.pages, requests + o.requests, retries + o.retries, pacer.plus(o.pacer));
    }
}
