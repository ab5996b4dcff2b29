package io.persistiqsync.management;

/**
 * One stream of the sync in progress, as progress output shows it.
 *
 * @param status            waiting, running, or how its run ended
 * @param records           records read so far (rejected ones included)
 * @param recordsPerSecond  records read per second so far
 * @param partitions        partitions the run reads (campaigns of a child stream; 1 for a plain stream, 0 when not running)
 * @param partitionsStarted partitions begun so far
 */
record StreamProgress(String stream, String status, long records, long pages, double recordsPerSecond, double seconds, int partitions,
        int partitionsStarted) {

    /** The same progress under another name (ACCOUNT/STREAM where a runtime has several accounts). */
    StreamProgress named(String name) {
        return new StreamProgress(name, status, records, pages, recordsPerSecond, seconds, partitions, partitionsStarted);
    }

    static StreamProgress waiting(String stream) {
        return new StreamProgress(stream, "waiting", 0, 0, 0, 0, 0, 0);
    }

    boolean running() {
        return "running".equals(status);
    }
}
