package io.persistiqsync.management;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.persistiqsync.api.StreamCatalog;
import io.persistiqsync.api.StreamDefinition;
import io.persistiqsync.routes.RouteNames;
import io.persistiqsync.sync.SyncRequest;
import io.persistiqsync.sync.SyncSession;

/**
 * Starts syncs for the JMX operations. They go through direct:sync-all like every other sync, so the
 * guards apply (a sync asked for while one of the account runs here, or while another node holds the
 * account's writer lock, is skipped and counted), and they run in the background: a JMX client waits
 * only for the guards' decision, so the answer says truly whether the sync started or was skipped and
 * why, without waiting out a long sync.
 */
class SyncTrigger {
    private static final Logger LOG = LoggerFactory.getLogger(SyncTrigger.class);

    /** how long a JMX call waits for the guards' decision (a database that does not answer is not waited out) */
    private static final long DECISION_WAIT_SECONDS = 10;

    private final CamelContext context;
    private final SyncSession session;
    private ProducerTemplate template;

    SyncTrigger(CamelContext context, SyncSession session) {
        this.context = context;
        this.session = session;
    }

    String syncAll() {
        SyncRequest request = session.configuredRequest();
        return start(request, "sync of " + String.join(", ", request.streams().stream().map(StreamDefinition::name).toList()));
    }

    String syncStream(String stream, boolean fullRefresh) {
        SyncRequest request = new SyncRequest(StreamCatalog.select(List.of(stream)), false, fullRefresh);
        return start(request, (fullRefresh ? "full refresh of " : "sync of ") + stream);
    }

    private String start(SyncRequest request, String what) {
        if (!context.isStarted()) return what + " not started: the runtime is " + context.getStatus().name().toLowerCase();
        CompletableFuture<String> begun = new CompletableFuture<>();
        template().asyncSend(RouteNames.SYNC_ALL, exchange -> {
            exchange.getMessage().setBody(request);
            exchange.getMessage().setHeader(RouteNames.ACCOUNT, session.account().name());
            exchange.setProperty(SyncSession.BEGUN, begun);
        }).whenComplete((exchange, e) -> {
            Throwable failure = e != null ? e : exchange.getException();
            if (failure == null) return;
            String reason = oneLine(rootMessage(failure));
            // a failure before the guards were passed (the writer lock's database cannot be reached) is the answer
            if (begun.completeExceptionally(new IllegalStateException(reason))) return;
            LOG.warn("{} failed: {}", what, reason);
        });
        // the guards decide within moments (a lock taken or not): wait for them, not for the sync
        try {
            String skippedBecause = begun.get(DECISION_WAIT_SECONDS, TimeUnit.SECONDS);
            if (skippedBecause == null) {
                LOG.info("{} asked for over JMX: started", what);
                return what + " started";
            }
            // the skip has said why in its own log line already
            return "skipped: " + skippedBecause + "; counted in SkippedSyncs and SkippedRuns";
        } catch (ExecutionException e) {
            LOG.warn("{} asked for over JMX could not start: {}", what, e.getCause().getMessage());
            return what + " not started: " + e.getCause().getMessage();
        } catch (TimeoutException e) {
            LOG.info("{} asked for over JMX: not begun after {} s, it goes on in the background", what, DECISION_WAIT_SECONDS);
            return what + " asked for: not begun after " + DECISION_WAIT_SECONDS + " s (the cache is slow to answer); see SkippedRuns and the log";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return what + " asked for: goes on in the background";
        }
    }

    private String oneLine(String text) {
        return session.settings().secrets().redact(String.valueOf(text)).replaceAll("\\s+", " ");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && (t.getMessage() == null || t instanceof java.util.concurrent.CompletionException)) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    private synchronized ProducerTemplate template() {
        if (template == null) template = context.createProducerTemplate();
        return template;
    }

    synchronized void close() throws Exception {
        if (template != null) template.close();
        template = null;
    }
}
