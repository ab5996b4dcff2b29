package io.persistiqsync.management;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The sync in progress (or the last one) for progress output: its streams in the order it syncs them. */
record SyncProgress(boolean running, Instant started, List<StreamProgress> streams) {

    long done() {
        return streams.stream().filter(s -> !s.running() && !"waiting".equals(s.status())).count();
    }

    Duration elapsed() {
        return started == null ? Duration.ZERO : Duration.between(started, Instant.now());
    }
}
