package io.persistiqsync;

/** What the embeddable API ({@link PersistIqSync}) could not do, in one line that never holds a secret. */
public class PersistIqSyncException extends RuntimeException {
    public PersistIqSyncException(String message) {
        super(message);
    }

    public PersistIqSyncException(String message, Throwable cause) {
        super(message, cause);
    }
}
