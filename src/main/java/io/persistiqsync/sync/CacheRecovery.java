package io.persistiqsync.sync;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.persistiqsync.api.PageAhead;
import io.persistiqsync.cache.CacheFaults;
import io.persistiqsync.routes.RouteNames;

/**
 * What a stream does when the cache's connection is lost (error-handling.camel.yaml): the failure is
 * recognised ({@link #connectionLost}); before each new attempt ({@link #process}, Camel's onRedelivery)
 * what was not committed is dropped, the session's connection is replaced, and the attempt is said in
 * one line. The attempt then goes on in the same run from the last committed page (RunPlanner.begin).
 */
public class CacheRecovery implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(CacheRecovery.class);

    private final PageAhead pageAhead;

    public CacheRecovery(PageAhead pageAhead) {
        this.pageAhead = pageAhead;
    }

    /** Whether the exchange failed because the cache's connection was lost (a fault that passes). */
    public boolean connectionLost(Exchange exchange) {
        Throwable failure = failure(exchange);
        return failure != null && CacheFaults.isTransient(failure);
    }

    /** Before the next attempt: drop what was pending, reconnect, say so. */
    @Override
    public void process(Exchange exchange) {
        Throwable failure = failure(exchange);
        SyncSession session = exchange.getProperty(RouteNames.SESSION, SyncSession.class);
        StreamRun run = exchange.getProperty(RouteNames.STREAM_RUN, StreamRun.class);
        int attempt = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) + 1;
        int attempts = exchange.getMessage().getHeader(Exchange.REDELIVERY_MAX_COUNTER, 0, Integer.class) + 1;
        if (run != null) {
            run.clearBatch();
            pageAhead.forget(run.session().account().name(), run.getPosition());
        }
        session.rollbackQuietly(failure);
        session.reconnect();
        String where = run != null ? run.position() : "sync";
        LOG.warn("{}: {}; retrying ({} of {})", where,
                session.settings().secrets().redact(CacheFaults.describe(failure, CacheFaults.place(session.settings().cacheUrl()))), attempt,
                attempts);
    }

    /** The exception the attempt failed with (Camel moves it to EXCEPTION_CAUGHT once it handles it). */
    private static Throwable failure(Exchange exchange) {
        return exchange.getException() != null ? exchange.getException() : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }
}
