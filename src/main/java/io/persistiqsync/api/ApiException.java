package io.persistiqsync.api;

/** The API answered something we cannot use. The message is one line and never holds the key. */
public class ApiException extends RuntimeException {
    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status of the answer, or 0 when there was none (connection failed, body unusable). */
    public int status() {
        return status;
    }
}
