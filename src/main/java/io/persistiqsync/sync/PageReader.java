package io.persistiqsync.sync;

import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.persistiqsync.api.PageAhead;
import io.persistiqsync.api.Pagination;
import io.persistiqsync.api.PaginationException;
import io.persistiqsync.api.StreamDefinition;
import io.persistiqsync.routes.RouteNames;
import io.persistiqsync.state.StreamState;

/**
 * The read stage: where a partition's paging starts, what an answered page holds (its ids, and where
 * its next_page leads, read through the one {@link Pagination} reader), a partition whose parent went
 * away (404), and the move to the next page. The run keeps the position; this bean keeps nothing.
 */
public class PageReader {
    private static final Logger LOG = LoggerFactory.getLogger(PageReader.class);

    private final PageAhead pageAhead;

    public PageReader(PageAhead pageAhead) {
        this.pageAhead = pageAhead;
    }

    /** Starts a partition at page 1, or just after the checkpoint when a pass resumes there. */
    public void startPartition(@Body String partition, @ExchangeProperty(RouteNames.STREAM_RUN) StreamRun run) {
        // after a stop (SIGTERM) the partitions left are not begun: the run ends where it stands
        if (run.isInterrupted() || run.session().stopRequested() && run.page() > 0) {
            run.interrupt();
            return;
        }
        String p = partition.isEmpty() ? null : partition;
        run.startPartition(p, firstPage(run.state(), p));
        // answers asked for ahead by an earlier run that stopped here are stale: this run asks anew
        pageAhead.forget(run.session().account().name(), run.getPosition());
    }

    /** Page 1, or the page after the checkpoint when the pass stopped in this partition. */
    static int firstPage(StreamState state, String partition) {
        boolean resumeHere = state.checkpointPage() > 0 && Objects.equals(partition, state.checkpointPartition());
        return resumeHere ? state.checkpointPage() + 1 : 1;
    }

    /** Takes an answered page's ids and decides the next page; the body stays the parsed page. */
    public void accept(@Body JsonNode page, @ExchangeProperty(RouteNames.STREAM_RUN) StreamRun run) {
        StreamDefinition stream = run.stream();
        JsonNode records = page.get(stream.recordsKey()); // the envelope was checked with the request (ApiResponses)
        List<String> ids = new ArrayList<>(records.size());
        for (JsonNode r : records) {
            JsonNode id = r.get(StreamDefinition.PRIMARY_KEY);
            if (id != null && id.isValueNode() && !id.isNull()) ids.add(id.asText());
        }
        Integer next = stream.paged()
                ? nextPage(page, run.page(), run.position(), run.session().settings().baseUrl(), run.session().settings().maxPages())
                : null;
        run.pageRead(ids, next);
        if (!run.isHasNextPage() || run.nextPageNumber() != run.page() + 1) pageAhead.forget(run.session().account().name(), run.getPosition());
    }

    /**
     * The number of the page after {@code current}, or null when the page says it is the last: next_page's
     * page= parameter, else the next number. next_page itself is never requested (only its number, on the
     * configured host); one that goes back, or past max-pages, stops the stream.
     */
    static Integer nextPage(JsonNode page, int current, String position, URI configuredHost, int maxPages) {
        if (!Pagination.saysMore(page)) return null;
        String next = Pagination.nextPageLink(page);
        int number = current + 1;
        if (next != null) {
            URI uri;
            try {
                uri = URI.create(next);
            } catch (IllegalArgumentException e) {
                throw new PaginationException("next_page is not a URL after " + position);
            }
            if (uri.getHost() != null && !uri.getHost().equalsIgnoreCase(configuredHost.getHost())) {
                LOG.warn("{}: next_page points at another host ({}); asking the configured host for the page instead", position, uri.getHost());
            }
            Integer given = pageParameter(uri.getRawQuery());
            if (given != null) number = given;
        }
        if (number <= current) {
            throw new PaginationException("next_page goes back to page " + number + " after " + position + ": stopped to avoid a loop");
        }
        if (number > maxPages) {
            throw new PaginationException(position + ": more than persistiq.max-pages (" + maxPages + ") pages");
        }
        return number;
    }

    private static Integer pageParameter(String query) {
        if (query == null) return null;
        for (String param : query.split("&")) {
            if (param.startsWith("page=")) {
                try {
                    return Integer.parseInt(param.substring(5));
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** The records of the page, for the streaming split. */
    public Iterator<JsonNode> records(@Body JsonNode page, @ExchangeProperty(RouteNames.STREAM_RUN) StreamRun run) {
        return page.get(run.stream().recordsKey()).elements();
    }

    /** After the page is written: move on to the next one (the loop ends when there is none, or a stop came). */
    public void nextPage(@ExchangeProperty(RouteNames.STREAM_RUN) StreamRun run) {
        if (run.isHasNextPage() && run.session().stopRequested()) run.interrupt();
        else run.advance();
    }

    /**
     * A child endpoint answered 404 (its parent, a campaign, went away mid-sync; fetch-page catches it):
     * the partition is recorded as gone and read as one empty last page; the stream goes on.
     */
    public JsonNode partitionGone(Exchange exchange, @ExchangeProperty(RouteNames.STREAM_RUN) StreamRun run) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = e == null ? "gone" : e.getMessage();
        LOG.warn("{}: {}; skipped", run.position(), reason);
        run.partitionGone(reason);
        ObjectNode empty = JsonNodeFactory.instance.objectNode();
        empty.putArray(run.stream().recordsKey());
        return empty;
    }
}
