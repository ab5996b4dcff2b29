package io.persistiqsync.api;

import java.net.URI;

/**
 * One PersistIQ account as the requests see it: its name, its API host and key, and its own rate
 * pacer (each key has its own limit at the API, so each is paced apart) and look-ahead bound.
 *
 * @param name            the account's name (persistiq.accounts; {@code default} without it)
 * @param baseUrl         the API host its requests go to
 * @param apiKey          a secret: added by the HTTP client only to this account's requests for this host
 * @param pacer           paces this account's requests under its max-requests-per-minute
 * @param pageConcurrency at most this many requests of a stream in flight
 */
public record ApiAccount(String name, URI baseUrl, String apiKey, RatePacer pacer, int pageConcurrency) {

    /** Without the key: a record's own toString would print it. */
    @Override
    public String toString() {
        return "account " + name + " (" + baseUrl + ")";
    }
}
