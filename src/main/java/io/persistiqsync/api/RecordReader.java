package io.persistiqsync.api;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

import com.fasterxml.jackson.databind.JsonNode;

import io.persistiqsync.routes.RouteNames;

/**
 * A stream's records straight from the API, outside a sync (no cache, no state): what the
 * persistiq-source Kamelet emits. Each page is asked for through the same paced, retried and checked
 * request route a sync uses ({@value RouteNames#REQUEST_PAGE_WITH_RETRIES}), one at a time as the records are
 * read, so memory holds one page; paging ends where {@link Pagination} says, or fails past max-pages.
 */
public final class RecordReader {
    /** the filter's time as the contract shows it: 2017-10-17T07:37:00-07:00 */
    private static final DateTimeFormatter FILTER_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx").withZone(ZoneOffset.UTC);

    private final ProducerTemplate template;
    private final int maxPages;
    private final ApiAccount account;

    public RecordReader(ProducerTemplate template, int maxPages) {
        this(template, maxPages, null);
    }

    /** Reads with this account's host, key and pacer (null: the first configured account's). */
    public RecordReader(ProducerTemplate template, int maxPages, ApiAccount account) {
        this.template = template;
        this.maxPages = maxPages;
        this.account = account;
    }

    /**
     * The stream's records, read page by page as the iterator advances.
     *
     * @param since only records updated (leads) or sent (events, replies) after this time; null for all
     * @throws IllegalArgumentException for a stream read per campaign, or a time on a stream the API cannot filter by time
     */
    public Iterator<JsonNode> records(StreamDefinition stream, OffsetDateTime since) {
        if (stream.parent() != null) {
            throw new IllegalArgumentException("stream " + stream.name() + " is read per " + stream.parent() + " record: sync it instead");
        }
        String parameter = stream.filter().parameter;
        if (since != null && parameter == null) {
            throw new IllegalArgumentException("stream " + stream.name() + " cannot be read from a time on: the API has no filter for it");
        }
        PageRequest request = new PageRequest(stream.name(), stream.path(), stream.recordsKey(), stream.paged(), 1, parameter,
                since == null ? null : FILTER_TIME.format(since));
        return new Pages(request);
    }

    /** Asks for the next page when the last one's records are used up. */
    private final class Pages implements Iterator<JsonNode> {
        private final PageRequest request;
        private Iterator<JsonNode> records = Collections.emptyIterator();
        private int page = 1;
        private boolean more = true;

        Pages(PageRequest request) {
            this.request = request;
        }

        @Override
        public boolean hasNext() {
            while (!records.hasNext() && more) fetch();
            return records.hasNext();
        }

        @Override
        public JsonNode next() {
            if (!hasNext()) throw new NoSuchElementException();
            return records.next();
        }

        private void fetch() {
            if (page > maxPages) throw new PaginationException(request.position() + " pages past persistiq.max-pages (" + maxPages + ")");
            Exchange done = template.send(RouteNames.REQUEST_PAGE_WITH_RETRIES, PageRequest.requestExchange(template.getCamelContext(),
                    account == null ? Map.of() : Map.of(ApiAccounts.PROPERTY, account),
                    request.path(), request.query(page), request.recordsKey()));
            if (done.getException() instanceof RuntimeException e) throw e;
            if (done.getException() != null) throw new IllegalStateException(done.getException().getMessage(), done.getException());
            JsonNode answer = done.getMessage().getBody(JsonNode.class);
            records = answer.get(request.recordsKey()).elements();
            more = request.paged() && Pagination.saysMore(answer);
            page++;
        }
    }
}
