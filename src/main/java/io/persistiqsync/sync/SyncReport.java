package io.persistiqsync.sync;

import java.util.ArrayList;
import java.util.List;

/** The outcome of one sync: a result per stream, or "skipped" when another sync was still running. */
public class SyncReport {
    private final List<StreamResult> results = new ArrayList<>();
    private boolean skipped;
    private String skippedBecause;

    public static SyncReport skippedReport() {
        return skippedReport(null);
    }

    /** @param reason why (another sync in this runtime, or the writer lock held elsewhere); null: another sync is running */
    public static SyncReport skippedReport(String reason) {
        SyncReport r = new SyncReport();
        r.skipped = true;
        r.skippedBecause = reason == null ? "another sync is running" : reason;
        return r;
    }

    /** Why the sync was skipped (null when it ran). */
    public String skippedBecause() {
        return skippedBecause;
    }

    synchronized void add(StreamResult result) {
        results.add(result);
    }

    public synchronized List<StreamResult> results() {
        return List.copyOf(results);
    }

    public boolean skipped() {
        return skipped;
    }

    public boolean succeeded() {
        return !skipped && results().stream().allMatch(StreamResult::succeeded);
    }

    public StreamResult result(String stream) {
        return results().stream().filter(r -> r.stream().equals(stream)).findFirst().orElse(null);
    }
}
