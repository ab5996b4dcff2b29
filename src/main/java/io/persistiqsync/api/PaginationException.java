package io.persistiqsync.api;

/** The pages do not lead to an end (next_page repeats, goes back or leaves the API host). */
public class PaginationException extends ApiException {
    public PaginationException(String message) {
        super(200, message);
    }
}
