package io.persistiqsync.management;

import java.time.Instant;
import java.util.Date;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.quartz.Scheduler;
import org.quartz.Trigger;

import io.persistiqsync.config.SyncSettings;
import io.persistiqsync.api.RatePacer;
import io.persistiqsync.cache.CacheUrls;
import io.persistiqsync.sync.SyncSession;

/**
 * The runtime as JMX shows it ({@code persistiq.sync:type=runtime}): the schedule, where it writes,
 * the sync in progress, the overlap guard's count, the cluster (its nodes and this one's state), and an
 * operation to sync every configured stream.
 */
@ManagedResource(description = "PersistIQ Sync runtime: schedule, cache, syncs since start")
public class ManagedRuntime {
    private final CamelContext context;
    private final SyncSettings settings;
    private final SyncSession session;
    private final SyncMonitor monitor;
    private final RatePacer pacer;
    private final SyncTrigger trigger;

    ManagedRuntime(CamelContext context, SyncSettings settings, SyncSession session, SyncMonitor monitor, RatePacer pacer, SyncTrigger trigger) {
        this.context = context;
        this.settings = settings;
        this.session = session;
        this.monitor = monitor;
        this.pacer = pacer;
        this.trigger = trigger;
    }

    @ManagedAttribute(description = "Quartz cron of the schedule (sync.cron)")
    public String getCron() {
        return settings.cron();
    }

    @ManagedAttribute(description = "Whether the schedule runs (the run command); one-shot commands have it off")
    public boolean isScheduleEnabled() {
        return scheduleTrigger() != null;
    }

    @ManagedAttribute(description = "When the schedule fires next (ISO-8601), empty when it is off")
    public String getNextFireTime() {
        Trigger t = scheduleTrigger();
        Date next = t == null ? null : t.getNextFireTime();
        return next == null ? "" : next.toInstant().toString();
    }

    @ManagedAttribute(description = "The cache database's JDBC URL, without user or password")
    public String getCacheUrl() {
        return CacheUrls.withoutCredentials(settings.cacheUrl());
    }

    @ManagedAttribute(description = "The API host")
    public String getApiBaseUrl() {
        return settings.baseUrl().toString();
    }

    @ManagedAttribute(description = "The streams a scheduled sync or syncAllNow() covers (persistiq.streams)")
    public String getStreams() {
        return String.join(",", settings.streams());
    }

    @ManagedAttribute(description = "Whether a sync is in progress")
    public boolean isSyncRunning() {
        return session.running();
    }

    @ManagedAttribute(description = "The stream the sync in progress is on, empty when none")
    public String getCurrentStream() {
        String s = monitor.currentStream();
        return s == null ? "" : s;
    }

    @ManagedAttribute(description = "Syncs started since the runtime started")
    public long getSyncsStarted() {
        return monitor.syncsStarted();
    }

    @ManagedAttribute(description = "Syncs asked for (schedule, syncNow, syncAllNow) while another of the account ran, here or on"
            + " another node holding the writer lock, and so skipped")
    public long getSkippedSyncs() {
        return session.skipped();
    }

    @ManagedAttribute(description = "When the last sync started (ISO-8601), empty if none since start")
    public String getLastSyncStarted() {
        return text(monitor.lastSyncStarted());
    }

    @ManagedAttribute(description = "When the last sync finished (ISO-8601), empty while one runs or if none since start")
    public String getLastSyncFinished() {
        return text(monitor.lastSyncFinished());
    }

    @ManagedAttribute(description = "Streams whose last run failed, comma separated")
    public String getFailedStreams() {
        return String.join(",", monitor.streams().stream().filter(ManagedStream::failed).map(ManagedStream::name).toList());
    }

    @ManagedAttribute(description = "API requests since the runtime started")
    public long getApiRequests() {
        return pacer.requests();
    }

    @ManagedAttribute(description = "Times a request waited because the API said so (after a 429, for a window it announced as spent)"
            + " since the runtime started")
    public long getRateLimitWaits() {
        return pacer.rateLimitWaits();
    }

    @ManagedAttribute(description = "Milliseconds of the waits the API forced since the runtime started")
    public long getRateLimitWaitMillis() {
        return pacer.rateLimitWaitedMillis();
    }

    @ManagedAttribute(description = "Times a request waited for our own pacing only (persistiq.max-requests-per-minute, the announced"
            + " limit spread over its window) since the runtime started")
    public long getPacingWaits() {
        return pacer.pacingWaits();
    }

    @ManagedAttribute(description = "Milliseconds of the pacing waits since the runtime started")
    public long getPacingWaitMillis() {
        return pacer.pacingWaitedMillis();
    }

    @ManagedAttribute(description = "429 answers since the runtime started")
    public long getRateLimited() {
        return pacer.rateLimited();
    }

    @ManagedAttribute(description = "Seconds a shutdown waits for the sync in progress to commit its batch (shutdown.timeout)")
    public int getShutdownTimeoutSeconds() {
        return settings.shutdownTimeoutSeconds();
    }

    @ManagedAttribute(description = "This runtime's node id (sync.cluster.node-id), as _sync_runs.node records each run")
    public String getNodeId() {
        return session.node();
    }

    @ManagedAttribute(description = "Whether the schedule runs on Quartz's cluster (sync.cluster.enabled, in `run`)")
    public boolean isClustered() {
        Scheduler s = clusterScheduler();
        return s != null;
    }

    @ManagedAttribute(description = "The cluster's nodes as Quartz's QRTZ_SCHEDULER_STATE has them, with their last check-in; empty when not clustered")
    public String[] getClusterMembers() {
        return ClusterMembers.read(clusterScheduler()).stream().map(ClusterMembers.Member::toString).toArray(String[]::new);
    }

    @ManagedAttribute(description = "This node in the cluster: the scheduler's state, whether it syncs, its last check-in")
    public String getClusterNodeState() {
        Scheduler s = clusterScheduler();
        if (s == null) return "not clustered (sync.cluster.enabled is off, or this is not `run`)";
        try {
            String state = s.isShutdown() ? "stopped" : s.isInStandbyMode() ? "standby" : "started";
            String self = s.getSchedulerInstanceId();
            String checkin = ClusterMembers.read(s).stream().filter(m -> m.node().equals(self)).findFirst().map(ClusterMembers.Member::toString)
                    .orElse(self + " (not checked in yet)");
            return state + ", " + (session.running() ? "syncing" : "idle") + ": " + checkin;
        } catch (org.quartz.SchedulerException e) {
            return "unknown: " + e.getMessage();
        }
    }

    @ManagedOperation(description = "Sync the configured streams now, in the background; answers whether it started, or why it was"
            + " skipped (a sync of the account running here, or another node holding the writer lock)")
    public String syncAllNow() {
        return trigger.syncAll();
    }

    /** The Quartz trigger of the schedule route, when that route runs. */
    private Trigger scheduleTrigger() {
        QuartzEndpoint quartz = scheduleEndpoint();
        if (quartz == null) return null;
        try {
            Scheduler scheduler = quartz.getComponent().getScheduler();
            return scheduler == null || quartz.getTriggerKey() == null ? null : scheduler.getTrigger(quartz.getTriggerKey());
        } catch (org.quartz.SchedulerException e) {
            return null;
        }
    }

    private QuartzEndpoint scheduleEndpoint() {
        for (Route route : context.getRoutes()) {
            if (route.getEndpoint() instanceof QuartzEndpoint quartz && context.getRouteController().getRouteStatus(route.getId()).isStarted()) {
                return quartz;
            }
        }
        return null;
    }

    /** The schedule's scheduler when it is Quartz's clustered one, else null. */
    private Scheduler clusterScheduler() {
        QuartzEndpoint quartz = scheduleEndpoint();
        Scheduler s = quartz == null ? null : quartz.getComponent().getScheduler();
        try {
            return s != null && s.getMetaData().isJobStoreClustered() ? s : null;
        } catch (org.quartz.SchedulerException e) {
            return null;
        }
    }

    private static String text(Instant instant) {
        return instant == null ? "" : instant.toString();
    }
}
