package io.persistiqsync.sync;

import io.persistiqsync.state.RunCounts;

/** The outcome of one stream in one sync, as the summary, JMX and tests see it. */
public record StreamResult(String stream, String mode, String status, RunCounts counts, double seconds, String error) {

    public boolean succeeded() {
        return "succeeded".equals(status);
    }
}
