package io.persistiqsync.api;

/**
 * Keeps the API key out of anything we print or store. The API itself echoes a refused key in its
 * 401 message ("Failed to find api key: ..."), so every text that came from the API passes here.
 */
public final class Secrets {
    private final String apiKey;

    public Secrets(String apiKey) {
        this.apiKey = apiKey == null ? "" : apiKey;
    }

    public String redact(String text) {
        if (text == null) return null;
        String oneLine = text.replaceAll("\\s+", " ").trim();
        return apiKey.isEmpty() ? oneLine : oneLine.replace(apiKey, "***");
    }
}
