package io.persistiqsync.cli;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;

import io.persistiqsync.api.ApiException;

/** One-line reasons for what went wrong talking to the API. */
final class Reasons {
    private Reasons() {
    }

    static String of(Throwable e, URI api) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ApiException) return t.getMessage();
            if (t instanceof UnknownHostException) return "cannot reach " + api + ": unknown host " + api.getHost();
            if (t instanceof ConnectException) return "cannot reach " + api + ": " + t.getMessage();
            if (t instanceof HttpTimeoutException || t instanceof java.net.SocketTimeoutException) return "no answer from " + api + " in time";
        }
        return "unexpected answer from " + api + ": " + PersistIqSyncCommand.oneLine(e);
    }
}
