package io.persistiqsync.runtime;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.LoggingLevel;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.model.errorhandler.DefaultErrorHandlerDefinition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.persistiqsync.api.ApiAccount;
import io.persistiqsync.api.ApiAccounts;
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
import io.persistiqsync.sync.SyncSessions;

/**
 * Binds the beans the routes call by name, built from {@link SyncSettings}, and sets up the HTTP
 * client: timeouts, and the key added only for the API host.
 */
public class SyncConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        Map<String, SyncSettings> accounts = SyncSettings.forAccounts(context.getPropertiesComponent());
        requirePositive(context, "sync.max-parallel-accounts");
        ClusterSettings cluster = ClusterSettings.from(context.getPropertiesComponent());
        // every account's secrets are kept out of every message, whichever account's sync meets them
        Secrets secrets = new Secrets(accounts.values().stream().flatMap(a -> a.secretValues().stream()).toArray(String[]::new))
                .and(cluster.password());
        // each account its own pacer (each key has its own limit at the API) and its own session (cache, guard,
        // and on a PostgreSQL cache its writer lock: never two writers of an account, whichever process or host asks)
        List<ApiAccount> apiAccounts = new ArrayList<>();
        List<SyncSession> sessions = new ArrayList<>();
        accounts.forEach((name, s) -> {
            ApiAccount account = new ApiAccount(name, s.baseUrl(), s.apiKey(), new RatePacer(s.maxRequestsPerMinute(), s.rateLimitFallbackWait()),
                    s.pageConcurrency());
            apiAccounts.add(account);
            sessions.add(new SyncSession(s, account, new WriterLock(s.cacheTarget(), name, cluster.nodeId()), cluster.nodeId()));
        });
        ApiAccounts api = new ApiAccounts(apiAccounts);
        SyncSessions syncSessions = new SyncSessions(sessions);
        SyncSession session = syncSessions.first();
        SyncSettings settings = session.settings();
        bind(context, "clusterSettings", cluster);
        ClusterScheduler.install(context, cluster, settings, secrets);
        // the stage beans hold no run and no account: what a run needs travels with it (streamRun, session, apiAccount)
        RecordStateRepository recordState = new RecordStateRepository();
        PageAhead pageAhead = new PageAhead(context.createProducerTemplate(), api);

        // the first account's settings and session: what one-account callers (embedding, tests) read
        bind(context, "syncSettings", settings);
        bind(context, "syncSession", session);
        bind(context, "secrets", secrets);
        bind(context, RouteNames.API_ACCOUNTS, api);
        bind(context, RouteNames.SYNC_SESSIONS, syncSessions);
        bind(context, RouteNames.API_RESPONSES, new ApiResponses(api, secrets));
        bind(context, RouteNames.RATE_LIMIT_RETRY_POLICY, RetryPolicies.rateLimit(settings));
        bind(context, RouteNames.BACKOFF_RETRY_POLICY, RetryPolicies.backoff(settings));
        bind(context, RouteNames.CACHE_RETRY_POLICY, RetryPolicies.cache(settings));
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
        Operations.install(context, syncSessions.all(), secrets);

        // Every failure is reported once, as one line, by whoever meets it: a stream's by RunRecorder.fail,
        // a sync that cannot start by the command line, the JMX trigger or the schedule's route. Camel's own
        // report of an exhausted exchange (exchange ids; stack trace, message history) would only repeat
        // it: logged at DEBUG. (logExhausted(false) alone does not stop it where nothing is redelivered.)
        DefaultErrorHandlerDefinition errors = new DefaultErrorHandlerDefinition().logExhausted(false).logStackTrace(false)
                .logExhaustedMessageHistory(false).logExhaustedMessageBody(false);
        errors.setLevel(LoggingLevel.DEBUG.name());
        context.getCamelContextExtension().setErrorHandlerFactory(errors);

        ApiKeyInterceptor auth = new ApiKeyInterceptor(api);
        for (String scheme : new String[] {"http", "https"}) {
            HttpComponent http = context.getComponent(scheme, HttpComponent.class);
            http.setHttpClientConfigurer(auth);
            http.setConnectTimeout(settings.connectTimeout().toMillis());
            http.setResponseTimeout(settings.responseTimeout().toMillis());
            http.setSoTimeout(settings.responseTimeout().toMillis());
        }
    }

    private static void requirePositive(CamelContext context, String key) {
        String value = context.getPropertiesComponent().resolveProperty(key).map(String::trim).orElse("");
        try {
            if (Integer.parseInt(value) > 0) return;
        } catch (NumberFormatException notANumber) {
            // said below
        }
        throw new SyncSettings.ConfigurationException(key, "'" + value + "' must be a whole number greater than 0");
    }

    private static void bind(CamelContext context, String name, Object bean) {
        context.getRegistry().bind(name, bean);
    }
}
