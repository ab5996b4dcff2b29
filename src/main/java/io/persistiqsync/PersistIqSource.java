package io.persistiqsync;

import java.io.Closeable;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The bean behind the persistiq-source Kamelet (kamelets/persistiq-source.kamelet.yaml): the Kamelet's
 * parameters arrive through the setters, and {@link #records()} is what its route splits into one
 * message per record. Each read runs the product's runtime privately ({@link PersistIqSync}, its own
 * Camel context): the key reaches only that context's HTTP client, for the API host alone, and the
 * user's context, components and settings are left as they are.
 */
public class PersistIqSource {
    private String apiKey;
    private String baseUrl;
    private String stream;
    private String updatedSince;
    private int maxRequestsPerMinute;

    public void setApiKey(String apiKey) {
        this.apiKey = apiKey;
    }

    public void setBaseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public void setStream(String stream) {
        this.stream = stream;
    }

    public void setUpdatedSince(String updatedSince) {
        this.updatedSince = updatedSince;
    }

    public void setMaxRequestsPerMinute(int maxRequestsPerMinute) {
        this.maxRequestsPerMinute = maxRequestsPerMinute;
    }

    /**
     * The stream's records, read from the API page by page as the split asks for them. The private
     * runtime stops when they run out, when a page fails, or when the split closes the iterator early.
     */
    public Iterator<JsonNode> records() {
        OffsetDateTime since = since();
        PersistIqSync.Builder builder = PersistIqSync.builder().apiKey(apiKey == null ? "" : apiKey)
                // no cache is opened by this runtime (the default URL is never used), and no MBeans beside the user's
                .set("camel.main.jmx-enabled", "false").set("camel.main.name", "persistiq-source");
        if (baseUrl != null && !baseUrl.isBlank()) builder.baseUrl(baseUrl);
        if (maxRequestsPerMinute > 0) builder.set("persistiq.max-requests-per-minute", Integer.toString(maxRequestsPerMinute));
        PersistIqSync piq = builder.build();
        try {
            return new Records(piq, piq.records(stream, since));
        } catch (RuntimeException e) {
            piq.close();
            throw e;
        }
    }

    private OffsetDateTime since() {
        if (updatedSince == null || updatedSince.isBlank()) return null;
        try {
            return OffsetDateTime.parse(updatedSince.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("persistiq-source: updatedSince '" + updatedSince
                    + "' is not an ISO-8601 time with an offset, such as 2026-01-31T00:00:00Z");
        }
    }

    /** The records, and the runtime that reads them, closed with them (Camel's split closes a Closeable iterator). */
    private static final class Records implements Iterator<JsonNode>, Closeable {
        private final PersistIqSync piq;
        private final Iterator<JsonNode> records;
        private boolean closed;

        Records(PersistIqSync piq, Iterator<JsonNode> records) {
            this.piq = piq;
            this.records = records;
        }

        @Override
        public boolean hasNext() {
            if (closed) return false;
            try {
                if (records.hasNext()) return true;
            } catch (RuntimeException e) {
                close();
                throw e;
            }
            close();
            return false;
        }

        @Override
        public JsonNode next() {
            if (!hasNext()) throw new java.util.NoSuchElementException();
            return records.next();
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            piq.close();
        }
    }
}
