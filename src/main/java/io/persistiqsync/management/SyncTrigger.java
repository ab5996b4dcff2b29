package io.persistiqsync.management;

import java.util.List;

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
 * overlap guard applies (a sync asked for while one runs is skipped and counted), and they run in the
 * background: a JMX client gets its answer at once instead of waiting out a long sync.
 */
class SyncTrigger {
    private static final Logger LOG = LoggerFactory.getLogger(SyncTrigger.class);

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
        boolean busy = session.running();
        template().asyncRequestBodyAndHeader(RouteNames.SYNC_ALL, request, RouteNames.ACCOUNT, session.account().name()).whenComplete((report, e) -> {
            if (e != null) LOG.warn("{} failed: {}", what, String.valueOf(rootMessage(e)).replaceAll("\\s+", " "));
        });
        LOG.info("{} asked for over JMX{}", what, busy ? " while another sync runs: it will be skipped" : "");
        return busy ? "skipped: another sync is running (counted in SkippedSyncs)" : what + " started";
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
