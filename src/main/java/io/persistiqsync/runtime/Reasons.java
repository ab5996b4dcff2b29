package io.persistiqsync.runtime;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;

import io.persistiqsync.api.ApiException;
import io.persistiqsync.config.SyncSettings.ConfigurationException;

/** One-line reasons for what went wrong: the command line and the embeddable API say the same. */
public final class Reasons {
    private Reasons() {
    }

    /** Why a request to the API failed. */
    public static String of(Throwable e, URI api) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ApiException) return t.getMessage();
            if (t instanceof UnknownHostException) return "cannot reach " + api + ": unknown host " + api.getHost();
            if (t instanceof ConnectException) return "cannot reach " + api + ": " + t.getMessage();
            if (t instanceof HttpTimeoutException || t instanceof java.net.SocketTimeoutException) return "no answer from " + api + " in time";
        }
        return "unexpected answer from " + api + ": " + oneLine(e);
    }

    /** The message that says what went wrong: a configuration error wins over what wraps it. */
    public static String oneLine(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigurationException || t instanceof IllegalArgumentException && t.getMessage() != null) {
                return t.getMessage();
            }
        }
        Throwable root = e;
        while (root.getCause() != null) root = root.getCause();
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.replaceAll("\\s+", " ");
    }
}
