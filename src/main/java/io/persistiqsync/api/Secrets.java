package io.persistiqsync.api;

import java.util.Arrays;
import java.util.List;

/**
 * Every secret the runtime holds (the API key, the cache's password, a private key's passphrase, a
 * token), so that any text headed for a message, a log line or JMX passes here first and shows none.
 */
public final class Secrets {
    private final List<String> secrets;

    public Secrets(String... secrets) {
        // longest first: a secret that contains another is hidden whole
        this.secrets = Arrays.stream(secrets).filter(s -> s != null && !s.isBlank())
                .sorted((a, b) -> b.length() - a.length()).toList();
    }

    /** These secrets and more (settings read elsewhere, such as the cluster's password). */
    public Secrets and(String... more) {
        List<String> all = new java.util.ArrayList<>(secrets);
        all.addAll(Arrays.asList(more));
        return new Secrets(all.toArray(String[]::new));
    }

    /** The text on one line, each secret replaced by ***. */
    public String redact(String text) {
        if (text == null) return null;
        String oneLine = text.replaceAll("\\s+", " ").trim();
        for (String secret : secrets) oneLine = oneLine.replace(secret, "***");
        return oneLine;
    }
}
