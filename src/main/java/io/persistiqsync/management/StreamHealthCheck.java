package io.persistiqsync.management;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of one stream: DOWN with the reason while its last run failed, UP otherwise (also before
 * its first run). Liveness is not affected: a failed stream is a data problem, not a reason to restart.
 */
public class StreamHealthCheck extends AbstractHealthCheck {
    static final String PREFIX = "persistiq-stream-";

    private final ManagedStream stream;

    StreamHealthCheck(ManagedStream stream, String idSuffix) {
        super("persistiq", PREFIX + stream.name() + idSuffix);
        this.stream = stream;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("stream", stream.name());
        builder.detail("last.status", stream.getLastStatus());
        if (!stream.getLastRunFinished().isEmpty()) builder.detail("last.finished", stream.getLastRunFinished());
        if (stream.failed()) {
            builder.message(stream.name() + ": last run failed: " + stream.getLastError()).down();
        } else {
            builder.up();
        }
    }
}
