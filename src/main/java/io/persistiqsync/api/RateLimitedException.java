package io.persistiqsync.api;

/** 429: over the rate limit. Retried after the wait the API asks for (the pacer holds it). */
public class RateLimitedException extends ApiException {
    public RateLimitedException(String message) {
        super(429, message);
    }
}
