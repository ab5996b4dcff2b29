package io.persistiqsync.api;

/** A failure that asking again may cure: 5xx, or a 200 whose body is not the expected JSON. */
public class TransientApiException extends ApiException {
    public TransientApiException(int status, String message) {
        super(status, message);
    }
}
