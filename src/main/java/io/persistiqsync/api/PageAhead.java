package io.persistiqsync.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.language.simple.Simple;

import com.fasterxml.jackson.databind.JsonNode;

import io.persistiqsync.routes.RouteNames;

/**
 * Keeps the next pages of a stream in flight while this one is processed, so that a sync with high
 * latency runs at the rate limit rather than at one page per round trip. Pages are numbered (see the
 * contract), so page N+1 can be asked for before page N's answer is processed; answers are still
 * handed over strictly in page order, each page is requested once (retries are inside the request),
 * and records are loaded once, in order.
 * <p>
 * How far ahead, and when:
 * <ul>
 * <li>Nothing is asked for beyond a page before some answer of the stream has said there is more
 * (has_more, else a next_page): a one-page stream or partition costs one request, as before. From
 * then on, pages go out until an answer says it is the last one; what was already in flight then is
 * wasted (at most {@code page-concurrency - 1} requests past the end).</li>
 * <li>At most {@link RatePacer#requestsInFlight(int)} requests are in flight (latency x rate, plus
 * one so that the pacer always has a request waiting for its next slot; 1, i.e. no look-ahead, where
 * latency x rate <= 1 or page-concurrency is 1).</li>
 * <li>The pipeline is refilled when a request completes, not only when the sync asks for its next
 * page: a slow commit (a DuckDB checkpoint takes up to ~0.7 s) would otherwise leave the pacer's
 * slots unused, and slots not used are lost for good under the limit.</li>
 * <li>Answers not yet handed over are bounded too ({@link #BUFFERED_PAGES} beyond the requests in
 * flight): memory stays flat; a stall longer than the buffer covers only pauses the requests.</li>
 * </ul>
 */
public class PageAhead {
    /**
     * Answered pages that may wait for the sync beyond the requests in flight: at 500/min (120 ms a
     * request) 4 pages let the requests go on through ~0.5 s of a stalled commit (with the ones in
     * flight, up to 8 pages ahead: a parsed leads page of 100 is ~160 KB, so ~1.3 MB at most).
     */
    static final int BUFFERED_PAGES = 4;

    private final ProducerTemplate template;
    private final ApiAccounts accounts;
    /** per account and stream position ("account/stream partition"), the pages asked for ahead */
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

    /** Each lane is paced and bounded by its account's pacer and page-concurrency. */
    public PageAhead(ProducerTemplate template, ApiAccounts accounts) {
        this.template = template;
        this.accounts = accounts;
    }

    /** One account (tests). */
    public PageAhead(ProducerTemplate template, RatePacer pacer, int maxConcurrency) {
        this(template, new ApiAccounts(List.of(new ApiAccount("default", null, "", pacer, maxConcurrency))));
    }

    private static String key(String account, String position) {
        return account + "/" + position;
    }

    /** Answers page {@code page} of the stream position (the body becomes the parsed page) and asks ahead. */
    public void fetch(Exchange exchange, @Simple("${exchangeProperty.streamRun.pageRequest}") PageRequest request) throws Exception {
        ApiAccount account = accounts.of(exchange);
        String key = key(account.name(), request.position());
        Lane lane;
        synchronized (this) {
            lane = lanes.get(key);
            if (lane == null || !lane.serves(request)) {
                // first page of the position, or paging went elsewhere: start over from this page
                if (lane != null) lane.close();
                lane = new Lane(request, account);
                lanes.put(key, lane);
            }
        }
        CompletableFuture<Exchange> answer = lane.take(request.page(), exchange);
        Exchange done;
        try {
            done = answer.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        if (done.getException() != null) {
            forget(account.name(), request.position());
            throw done.getException();
        }
        exchange.getMessage().setBody(done.getMessage().getBody(JsonNode.class));
    }

    /** Drops the pages asked for ahead (the stream ended or turned elsewhere); their answers are ignored. */
    public void forget(String account, String position) {
        Lane dropped;
        synchronized (this) {
            dropped = lanes.remove(key(account, position));
        }
        if (dropped != null) dropped.close();
    }

    /** Requests in flight and answers waiting for one stream position (tests). */
    int pending(String position) {
        Lane lane = lanes.get(key(accounts.first().name(), position));
        return lane == null ? 0 : lane.pending();
    }

    /**
     * The pages of one position: sent in order from the first page asked for, handed over in order.
     * All fields are guarded by the lane's monitor; futures get their callbacks outside it.
     */
    private final class Lane {
        private final PageRequest request;
        private final RatePacer pacer;
        private final int maxConcurrency;
        /** sent, not yet handed over (in flight or answered) */
        private final Map<Integer, CompletableFuture<Exchange>> pages = new HashMap<>();
        /** the properties of the sync's exchange, copied on its thread: the requests carry them (monitoring) */
        private Map<String, Object> properties;
        private CamelContext context;
        /** the page the sync is on (handed over last) */
        private int current;
        private int nextToSend;
        private int inFlight;
        /** an answer said more pages follow: look-ahead may start */
        private boolean more;
        /** the last page, once an answer said so */
        private int last = Integer.MAX_VALUE;
        private boolean closed;

        Lane(PageRequest request, ApiAccount account) {
            this.request = request;
            this.pacer = account.pacer();
            this.maxConcurrency = Math.max(1, account.pageConcurrency());
            this.nextToSend = request.page();
        }

        /** Whether the page is the one this lane has (or sends) next, for the same path and filter. */
        synchronized boolean serves(PageRequest next) {
            boolean same = next.path().equals(request.path()) && Objects.equals(next.query(0), request.query(0));
            return !closed && same && (pages.containsKey(next.page()) || next.page() == nextToSend);
        }

        synchronized int pending() {
            return pages.size();
        }

        /** The page's answer (sent now when it was not yet), after which the pipeline is refilled. */
        CompletableFuture<Exchange> take(int page, Exchange exchange) {
            List<Sent> sent = new ArrayList<>();
            CompletableFuture<Exchange> answer;
            synchronized (this) {
                context = exchange.getContext();
                properties = new HashMap<>(exchange.getProperties());
                current = page;
                answer = pages.remove(page);
                if (answer == null) { // page == nextToSend (see serves)
                    answer = sendLocked(page);
                    nextToSend = page + 1;
                    sent.add(new Sent(page, answer));
                }
                sent.addAll(refillLocked());
            }
            watch(sent);
            return answer;
        }

        /** Sends what may go now: paged, shown to have more, under the in-flight and buffer bounds. */
        private List<Sent> refillLocked() {
            if (closed || !request.paged() || !more) return List.of();
            int inFlightMax = pacer.requestsInFlight(maxConcurrency);
            if (inFlightMax <= 1) return List.of(); // one at a time: the sync asks for each page itself
            List<Sent> sent = new ArrayList<>();
            while (inFlight < inFlightMax && nextToSend <= last && nextToSend - current <= inFlightMax + BUFFERED_PAGES) {
                CompletableFuture<Exchange> future = sendLocked(nextToSend);
                pages.put(nextToSend, future);
                sent.add(new Sent(nextToSend++, future));
            }
            return sent;
        }

        private CompletableFuture<Exchange> sendLocked(int page) {
            inFlight++;
            try {
                return send(context, properties, request, page);
            } catch (RuntimeException e) { // e.g. the context is stopping: the sync meets it at this page
                return CompletableFuture.failedFuture(e);
            }
        }

        /** Callbacks for the pages just sent (outside the monitor: a future may already be complete). */
        private void watch(List<Sent> sent) {
            for (Sent s : sent) s.answer().whenComplete((done, failure) -> answered(s.page(), done, failure));
        }

        /** A request completed: learn whether more pages follow, then refill. */
        private void answered(int page, Exchange done, Throwable failure) {
            List<Sent> sent;
            synchronized (this) {
                inFlight--;
                if (failure != null || done == null || done.getException() != null) {
                    last = Math.min(last, page - 1); // the sync fails (or skips) at this page: nothing beyond it
                } else if (Pagination.saysMore(done.getMessage().getBody(JsonNode.class))) {
                    more = true;
                } else {
                    last = Math.min(last, page);
                }
                sent = refillLocked();
            }
            watch(sent);
        }

        synchronized void close() {
            closed = true;
            pages.values().forEach(f -> f.cancel(false));
            pages.clear();
        }
    }

    private record Sent(int page, CompletableFuture<Exchange> answer) {
    }

    private CompletableFuture<Exchange> send(CamelContext context, Map<String, Object> properties, PageRequest request, int page) {
        return template.asyncSend(RouteNames.REQUEST_PAGE_WITH_RETRIES,
                PageRequest.requestExchange(context, properties, request.path(), request.query(page), request.recordsKey()));
    }
}
