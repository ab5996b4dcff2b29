package io.persistiqsync.api;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.language.simple.Simple;
import org.apache.camel.support.DefaultExchange;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Keeps the next pages of a stream in flight while this one is processed, so that a sync with high
 * latency runs at the rate limit rather than at one page per round trip. Pages are numbered (see the
 * contract), so page N+1 can be asked for before page N's answer is processed; answers are still
 * handed over strictly in page order, each page is requested once (retries are inside the request),
 * and records are loaded once, in order. Look-ahead starts only when the stream has shown a second
 * page, and goes as deep as {@link RatePacer#lookAhead(int)} says: where latency x rate <= 1 it is 0,
 * and nothing is asked for that may not be needed.
 */
public class PageAhead {
    /** The route that makes one request, with its retries. */
    static final String REQUEST = "direct:request-page-with-retries";

    private final ProducerTemplate template;
    private final RatePacer pacer;
    private final int maxConcurrency;
    /** per stream position ("stream partition"), the pages asked for ahead */
    private final Map<String, Map<Integer, CompletableFuture<Exchange>>> ahead = new ConcurrentHashMap<>();

    public PageAhead(ProducerTemplate template, RatePacer pacer, int maxConcurrency) {
        this.template = template;
        this.pacer = pacer;
        this.maxConcurrency = maxConcurrency;
    }

    /** Answers page {@code page} of the stream position (the body becomes the parsed page) and asks ahead. */
    public void fetch(Exchange exchange, @Simple("${exchangeProperty.streamRun.pageRequest}") PageRequest request) throws Exception {
        Map<Integer, CompletableFuture<Exchange>> inFlight = ahead.computeIfAbsent(request.position(), k -> new ConcurrentHashMap<>());
        CompletableFuture<Exchange> answer = inFlight.remove(request.page());
        if (answer == null) answer = send(exchange, request, request.page());
        if (request.paged() && request.page() > 1) {
            int depth = pacer.lookAhead(maxConcurrency);
            for (int p = request.page() + 1; p <= request.page() + depth; p++) {
                int page = p;
                inFlight.computeIfAbsent(page, k -> send(exchange, request, page));
            }
        }
        Exchange done;
        try {
            done = answer.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        if (done.getException() != null) {
            forget(request.position());
            throw done.getException();
        }
        exchange.getMessage().setBody(done.getMessage().getBody(JsonNode.class));
    }

    /** Drops the pages asked for ahead (the stream ended or turned elsewhere); their answers are ignored. */
    public void forget(String position) {
        Map<Integer, CompletableFuture<Exchange>> dropped = ahead.remove(position);
        if (dropped != null) dropped.values().forEach(f -> f.cancel(false));
    }

    private CompletableFuture<Exchange> send(Exchange origin, PageRequest request, int page) {
        Exchange exchange = new DefaultExchange(origin.getContext(), ExchangePattern.InOut);
        // the request carries what the page's exchange carries (which stream it serves, for monitoring)
        exchange.getProperties().putAll(origin.getProperties());
        exchange.setProperty(PageRequest.PATH, request.path());
        exchange.setProperty(PageRequest.QUERY, request.query(page));
        exchange.setProperty(PageRequest.CHILD, request.child());
        exchange.setProperty(PageRequest.RECORDS_KEY, request.recordsKey());
        return template.asyncSend(REQUEST, exchange);
    }
}
