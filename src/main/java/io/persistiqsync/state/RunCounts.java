package io.persistiqsync.state;

/**
 * The counts of one run, or a sum of runs: the one shape they have everywhere (the run log, a stream's
 * report, JMX). Records by outcome, API pages read, and API requests sent.
 */
public record RunCounts(long created, long changed, long unchanged, long deleted, long rejected, long pages, long requests) {
    public static final RunCounts ZERO = new RunCounts(0, 0, 0, 0, 0, 0, 0);

    /** Records read from the API: new, changed and unchanged ones (deleted ones were not read). */
    public long records() {
        return created + changed + unchanged;
    }

    public RunCounts plus(RunCounts o) {
        return new RunCounts(created + o.created, changed + o.changed, unchanged + o.unchanged, deleted + o.deleted, rejected + o.rejected,
                pages + o.pages, requests + o.requests);
    }

    /** The same counts with another number of requests (they are counted apart, by the rate pacer). */
    public RunCounts withRequests(long n) {
        return new RunCounts(created, changed, unchanged, deleted, rejected, pages, n);
    }
}
