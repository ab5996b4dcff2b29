package io.persistiqsync.sync;

/**
 * What a sync tells the operations side (JMX statistics, health, progress) as it goes. The sync code
 * calls these on its own thread at each step, so implementations are quick and never throw.
 */
public interface SyncObserver {
    /** Observes nothing: what the sync code uses when no operations side is installed. */
    SyncObserver NONE = new SyncObserver() {
    };

    /** A sync took the lock and is about to open the cache. */
    default void syncStarted(SyncRequest request) {
    }

    /** A sync was asked for while another ran: it does nothing (the overlap guard). */
    default void syncSkipped(SyncRequest request) {
    }

    /** A stream's run is open and knows how many partitions it will read (1 for a plain stream). */
    default void runStarted(StreamRun run, int partitions) {
    }

    /** A page was written (and committed, when it completed a batch). */
    default void pageWritten(StreamRun run) {
    }

    /** A stream's run ended: succeeded, failed or interrupted. */
    default void runFinished(StreamResult result) {
    }

    /** The sync closed the cache and released the lock. */
    default void syncFinished() {
    }
}
