package io.persistiqsync.management;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.management.JMException;
import javax.management.ObjectName;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.ManagementAgent;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.persistiqsync.config.SyncSettings;
import io.persistiqsync.cache.CacheStore;
import io.persistiqsync.state.SyncRunLog;
import io.persistiqsync.api.RatePacer;
import io.persistiqsync.api.Secrets;
import io.persistiqsync.sync.SyncSession;

/**
 * Everything an operator watches and steers the runtime with: the MBeans under {@value #DOMAIN}
 * (next to Camel's own, which stay as Camel registers them), the health checks, remote JMX when
 * switched on, progress output and the graceful stop on SIGTERM. {@link #install} wires it into a
 * Camel context before it starts; the MBeans, checks and connector come up when the context starts.
 */
public final class Operations extends ServiceSupport {
    private static final Logger LOG = LoggerFactory.getLogger(Operations.class);
    public static final String DOMAIN = "persistiq.sync";

    private final CamelContext context;
    private final ManagementSettings settings;
    private final SyncMonitor monitor;
    private final ManagedRuntime runtime;
    private final SyncTrigger trigger;
    private final CacheReadinessCheck cacheCheck;
    private final List<ObjectName> registered = new ArrayList<>();
    private final SyncSettings syncSettings;
    private final Secrets secrets;
    private RemoteJmxServer remoteJmx;
    /** the account this instance shows; null for the `default` account of a one-account runtime (today's names) */
    private final String account;
    /** the first account's instance also runs what the runtime has once: remote JMX */
    private final boolean primary;

    private Operations(CamelContext context, ManagementSettings settings, SyncMonitor monitor, ManagedRuntime runtime, SyncTrigger trigger,
            CacheReadinessCheck cacheCheck, SyncSettings syncSettings, Secrets secrets, String account, boolean primary) {
        this.account = account;
        this.primary = primary;
        this.syncSettings = syncSettings;
        this.secrets = secrets;
        this.context = context;
        this.settings = settings;
        this.monitor = monitor;
        this.runtime = runtime;
        this.trigger = trigger;
        this.cacheCheck = cacheCheck;
    }

    /**
     * Wires the operations side of every account into a context that has not started yet: each account
     * its MBeans, health checks and meters; one progress output over all accounts, one remote JMX server
     * and one graceful stop.
     */
    public static void install(CamelContext context, List<SyncSession> sessions, Secrets secrets) throws Exception {
        boolean several = sessions.size() > 1 || !sessions.get(0).account().name().equals(SyncSettings.DEFAULT_ACCOUNT);
        Map<String, SyncMonitor> monitors = new LinkedHashMap<>();
        for (int i = 0; i < sessions.size(); i++) {
            SyncSession session = sessions.get(i);
            String account = several ? session.account().name() : null;
            monitors.put(account == null ? "" : account, install(context, session.settings(), session, session.pacer(), secrets, account, i == 0));
        }
        // progress output (sync, run) over every account's streams
        ProgressReporter progress = new ProgressReporter(monitors, ManagementSettings.from(context.getPropertiesComponent()).progressInterval());
        context.getRegistry().bind(ProgressReporter.REGISTRY_NAME, progress);
        context.addService(progress, true, true);
        context.addService(new GracefulShutdown(context, sessions.get(0).settings().shutdownTimeoutSeconds()), true, true);
    }

    private static SyncMonitor install(CamelContext context, SyncSettings settings, SyncSession session, RatePacer pacer, Secrets secrets,
            String account, boolean primary) throws Exception {
        ManagementSettings management = ManagementSettings.from(context.getPropertiesComponent());
        SyncTrigger trigger = new SyncTrigger(context, session);
        SyncMonitor monitor = new SyncMonitor(trigger, pacer, secrets);
        String idSuffix = account == null ? "" : "-" + account;
        CacheReadinessCheck cacheCheck = new CacheReadinessCheck(settings, session, secrets, idSuffix);

        // the cache check first: a sync waits for a probe of the cache to close before it opens it
        session.observer(new SyncObservers(cacheCheck, monitor));
        // a stop of Camel (SIGTERM, JMX) ends a sync at its next page boundary
        session.stopWhen(context::isStopping);
        context.getManagementStrategy().addEventNotifier(new RetryCounter(monitor, session.account().name()));
        context.addStartupListener(new StreamMetrics(monitor.streams(), account));

        ManagedRuntime runtime = new ManagedRuntime(context, settings, session, monitor, pacer, trigger);
        context.addService(new Operations(context, management, monitor, runtime, trigger, cacheCheck, settings, secrets, account, primary), true,
                true);
        return monitor;
    }

    /** A stream's MBean in a one-account runtime: persistiq.sync:type=stream,name=STREAM. */
    public static ObjectName streamName(String stream) throws JMException {
        return streamName(null, stream);
    }

    public static ObjectName runtimeName() throws JMException {
        return runtimeName(null);
    }

    /** With several accounts: persistiq.sync:account=ACCOUNT,type=stream,name=STREAM (null: the one-account name). */
    public static ObjectName streamName(String account, String stream) throws JMException {
        return streamName(null, account, stream);
    }

    public static ObjectName runtimeName(String account) throws JMException {
        return runtimeName(null, account);
    }

    /**
     * A second runtime in one JVM (an application embedding PersistIqSync twice) gets the context name Camel
     * made unique for it (persistiq-sync-1) as a first key, as Camel's own MBeans do: neither overwrites the
     * other's. The first runtime, and every CLI process, keep the plain names.
     */
    public static ObjectName streamName(String context, String account, String stream) throws JMException {
        return new ObjectName(DOMAIN + ":" + keys(context, account) + "type=stream,name=" + stream);
    }

    public static ObjectName runtimeName(String context, String account) throws JMException {
        return new ObjectName(DOMAIN + ":" + keys(context, account) + "type=runtime");
    }

    private static String keys(String context, String account) {
        return (context == null ? "" : "context=" + context + ",") + (account == null ? "" : "account=" + account + ",");
    }

    @Override
    protected void doStart() throws Exception {
        if (SyncSettings.scheduleEnabled(context.getPropertiesComponent())) restoreLastRuns();
        registerMBeans();
        registerHealthChecks();
        if (primary && settings.remoteJmx()) {
            try {
                remoteJmx = RemoteJmxServer.start(settings);
            } catch (Exception e) {
                // e.g. the port is taken by the runtime already running: the command itself can still do its job
                LOG.warn("remote JMX not started on port {}: {}", settings.remoteJmxPort(), String.valueOf(e.getMessage()).replaceAll("\\s+", " "));
            }
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (remoteJmx != null) remoteJmx.stop();
        remoteJmx = null;
        ManagementAgent agent = agent();
        for (ObjectName name : registered) {
            if (agent != null && agent.isRegistered(name)) agent.unregister(name);
        }
        registered.clear();
        trigger.close();
    }

    /** The long-running runtime shows each stream's last run from the start, not only once it has synced. */
    private void restoreLastRuns() {
        try (CacheStore db = syncSettings.openCache()) {
            for (ManagedStream s : monitor.streams()) {
                List<SyncRunLog.Run> runs = SyncRunLog.lastRuns(db, s.name(), 1);
                if (!runs.isEmpty()) s.restore(runs.get(0));
            }
        } catch (SQLException | RuntimeException e) {
            LOG.info("the streams' last runs were not read from the cache ({}): they show from the first sync on",
                    secrets.redact(String.valueOf(e.getMessage())).replaceAll("\\s+", " "));
        }
    }

    private void registerMBeans() throws JMException {
        ManagementAgent agent = agent();
        if (agent == null) {
            LOG.info("JMX is off (camel.main.jmx-enabled=false): no MBeans");
            return;
        }
        // Camel gives a context a name of its own (persistiq-sync-1) when one of the same name runs in this JVM
        String unique = context.getManagementName() == null || context.getManagementName().equals(context.getName()) ? null
                : context.getManagementName();
        // forced: a runtime stopped without unregistering (a test JVM) must not block the next one
        register(agent, runtime, runtimeName(unique, account));
        for (ManagedStream s : monitor.streams()) register(agent, s, streamName(unique, account, s.name()));
    }

    private void register(ManagementAgent agent, Object mbean, ObjectName name) throws JMException {
        agent.register(mbean, name, true);
        registered.add(name);
    }

    private ManagementAgent agent() {
        return context.getManagementStrategy() == null ? null : context.getManagementStrategy().getManagementAgent();
    }

    private void registerHealthChecks() {
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health == null) {
            LOG.info("Camel health checks are off (camel.health.enabled=false)");
            return;
        }
        health.register(cacheCheck);
        for (ManagedStream s : monitor.streams()) health.register(new StreamHealthCheck(s, account == null ? "" : "-" + account));
    }
}
