package io.persistiqsync.management;

import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeRedeliveryEvent;
import org.apache.camel.support.EventNotifierSupport;

import io.persistiqsync.routes.RouteNames;
import io.persistiqsync.sync.StreamRun;

/**
 * Counts the error handler's redeliveries (the retries of error-handling.camel.yaml) per stream: Camel
 * announces each one as an event, with the exchange that carries the stream's run.
 */
class RetryCounter extends EventNotifierSupport {
    private final SyncMonitor monitor;

    /** @param account whose runs' retries this counter counts (each account has its own monitor) */
    private final String account;

    RetryCounter(SyncMonitor monitor, String account) {
        this.monitor = monitor;
        this.account = account;
        // only redeliveries matter here: Camel then skips building the other events for us. (Camel files
        // redeliveries under failure events: ignoring failures would silence them too.)
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeSentEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof ExchangeRedeliveryEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof ExchangeRedeliveryEvent redelivery) {
            StreamRun run = redelivery.getExchange().getProperty(RouteNames.STREAM_RUN, StreamRun.class);
            if (run != null && run.getAccount().equals(account)) monitor.retried(run.getStreamName());
        }
    }
}
