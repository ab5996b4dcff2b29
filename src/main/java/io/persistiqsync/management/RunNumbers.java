package io.persistiqsync.management;

import io.persistiqsync.state.RunCounts;

/**
 * What JMX shows of one run, or a sum of runs: its counts (the one {@link RunCounts} shape the run log
 * and the report have too), plus what only the operations side counts: the error handler's retries and
 * the rate pacer's waits (every wait before a request, and the 429 answers among the requests).
 */
record RunNumbers(RunCounts counts, long retries, PacerMark pacer) {

    static final RunNumbers ZERO = new RunNumbers(RunCounts.ZERO, 0, PacerMark.ZERO);

    /** Counts read back from the run log: retries and waits are not kept there. */
    static RunNumbers of(RunCounts counts) {
        return new RunNumbers(counts, 0, PacerMark.ZERO);
    }

    RunNumbers plus(RunNumbers o) {
        return new RunNumbers(counts.plus(o.counts), retries + o.retries, pacer.plus(o.pacer));
    }
}
