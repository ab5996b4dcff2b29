package io.persistiqsync.sync;

/** The outcome of one stream in one sync, as the summary, JMX and tests see it. */
public record StreamResult(String stream, String mode, String status, long created, long changed, long unchanged, long deleted,
        long rejected, long pages, long requests, double seconds, String error) {

    public boolean succeeded() {
        return "succeeded".equals(status);
    }

    public long records() {
        return created + changed + unchanged;
    }
}
