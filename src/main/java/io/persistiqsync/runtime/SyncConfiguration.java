package io.persistiqsync.runtime;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.LoggingLevel;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.model.errorhandler.DefaultErrorHandlerDefinition;

import io.persistiqsync.api.ApiKeyInterceptor;
import io.persistiqsync.api.ApiResponses;
import io.persistiqsync.api.PageAhead;
import io.persistiqsync.api.RecordLookup;
import io.persistiqsync.api.RatePacer;
import io.persistiqsync.api.Secrets;
import io.persistiqsync.cache.CacheFaults;
import io.persistiqsync.cache.WriterLock;
import io.persistiqsync.config.ClusterSettings;
import io.persistiqsync.config.SyncSettings;
import io.persistiqsync.management.Operations;
import io.persistiqsync.routes.RouteNames;
import io.persistiqsync.state.RecordStateRepository;
import io.persistiqsync.sync.CacheRecovery;
import io.persistiqsync.sync.CacheWriter;
import io.persistiqsync.sync.DeleteCheck;
import io.persistiqsync.sync.PageReader;
import io.persistiqsync.sync.RecordBatchStrategy;
import io.persistiqsync.sync.RecordShaper;
import io.persistiqsync.sync.RunPlanner;
import io.persistiqsync.sync.RunRecorder;
import io.persistiqsync.sync.SyncSession;

/**
 * Binds the beans the routes call by name, built from {@link SyncSettings}, and sets up the HTTP
 * client: timeouts, and the key added only for the API host.
 */
public class SyncConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        SyncSettings settings = SyncSettings.from(context.getPropertiesComponent());
        ClusterSettings cluster = ClusterSettings.from(context.getPropertiesComponent());
        Secrets secrets = settings.secrets().and(cluster.password());
        RatePacer pacer = new RatePacer(settings.maxRequestsPerMinute(), settings.rateLimitFallbackWait());
        // never two writers of the account on a PostgreSQL cache, whichever process or host asks
        SyncSession session = new SyncSession(settings, pacer,
                new WriterLock(settings.cacheTarget(), ClusterSettings.DEFAULT_ACCOUNT, cluster.nodeId()), cluster.nodeId());
        bind(context, "clusterSettings", cluster);
        ClusterScheduler.install(context, cluster, settings, secrets);
        // the stage beans hold no run and no account: what a run needs travels with it (streamRun, session)
        RecordStateRepository recordState = new RecordStateRepository();
        PageAhead pageAhead = new PageAhead(context.createProducerTemplate(), pacer, settings.pageConcurrency());

        bind(context, "syncSettings", settings);
        bind(context, "secrets", secrets);
        bind(context, RouteNames.RATE_PACER, pacer);
        bind(context, RouteNames.API_RESPONSES, new ApiResponses(pacer, secrets));
        bind(context, RouteNames.RATE_LIMIT_RETRY_POLICY, RetryPolicies.rateLimit(settings));
        bind(context, RouteNames.BACKOFF_RETRY_POLICY, RetryPolicies.backoff(settings));
        bind(context, RouteNames.CACHE_RETRY_POLICY, RetryPolicies.cache(settings));
        bind(context, RouteNames.SYNC_SESSION, session);
        bind(context, RouteNames.PAGE_AHEAD, pageAhead);
        bind(context, RouteNames.RECORD_LOOKUP, new RecordLookup());
        bind(context, RouteNames.RUN_PLANNER, new RunPlanner(recordState));
        bind(context, RouteNames.PAGE_READER, new PageReader(pageAhead));
        bind(context, RouteNames.RECORD_SHAPER, new RecordShaper());
        bind(context, RouteNames.RECORD_STATE, recordState);
        bind(context, RouteNames.RECORD_BATCH, new RecordBatchStrategy());
        bind(context, RouteNames.CACHE_WRITER, new CacheWriter(recordState));
        bind(context, RouteNames.DELETE_CHECK, new DeleteCheck(recordState));
        bind(context, RouteNames.RUN_RECORDER, new RunRecorder(pageAhead));
        bind(context, RouteNames.CACHE_RECOVERY, new CacheRecovery(pageAhead));
        // JMX MBeans, health checks, remote JMX, progress output, graceful stop (see management/)
        Operations.install(context, settings, session, pacer, secrets);

        // Every failure is reported once, as one line, by whoever meets it: a stream's by RunRecorder.fail,
        // a sync that cannot start by the command line, the JMX trigger or the schedule's route. Camel's own
        // report of an exhausted exchange (exchange ids; stack trace, message history) would only repeat
        // it: logged at DEBUG. (logExhausted(false) alone does not stop it where nothing is redelivered.)
        DefaultErrorHandlerDefinition errors = new DefaultErrorHandlerDefinition().logExhausted(false).logStackTrace(false)
                .logExhaustedMessageHistory(false).logExhaustedMessageBody(false);
        errors.setLevel(LoggingLevel.DEBUG.name());
        context.getCamelContextExtension().setErrorHandlerFactory(errors);

        ApiKeyInterceptor auth = new ApiKeyInterceptor(settings.baseUrl(), settings.apiKey());
        for (String scheme : new String[] {"http", "https"}) {
            HttpComponent http = context.getComponent(scheme, HttpComponent.class);
            http.setHttpClientConfigurer(auth);
            http.setConnectTimeout(settings.connectTimeout().toMillis());
            http.setResponseTimeout(settings.responseTimeout().toMillis());
            http.setSoTimeout(settings.responseTimeout().toMillis());
        }
    }

    private static void bind(CamelContext context, String name, Object bean) {
        context.getRegistry().bind(name, bean);
    }
}
