package io.persistiqsync.management;

import java.time.Duration;
import java.time.Instant;

import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;

import io.persistiqsync.api.RatePacer;
import io.persistiqsync.api.Secrets;
import io.persistiqsync.state.RunCounts;
import io.persistiqsync.state.SyncRunLog;
import io.persistiqsync.sync.StreamResult;
import io.persistiqsync.sync.StreamRun;

/**
 * One stream as JMX shows it ({@code persistiq.sync:type=stream,name=<stream>}): whether it runs, how
 * its last run went, and its totals since the runtime started. While a run is in progress the LastRun
 * attributes are that run's, and move as it goes. Times are ISO-8601 instants; texts are one line and
 * never hold the API key.
 */
@ManagedResource(description = "A PersistIQ stream: its run in progress or last run, and totals since start")
public class ManagedStream {
    static final String NEVER = "never";

    private final String name;
    private final SyncTrigger trigger;
    private final RatePacer pacer;
    private final Secrets secrets;

    // guarded by this
    private StreamRun live;
    private Instant liveStarted;
    private PacerMark livePacer = PacerMark.ZERO;
    private long liveRetries;
    private int livePartitions;
    private int livePartitionsStarted;
    private String livePartition;

    private Instant lastStarted;
    private Instant lastFinished;
    private String lastStatus = NEVER;
    private String lastMode;
    private String lastError;
    private double lastSeconds;
    private RunNumbers last = RunNumbers.ZERO;
    private RunNumbers total = RunNumbers.ZERO;
    private long runs;
    private long failedRuns;
    private long interruptedRuns;
    private long skippedRuns;

    ManagedStream(String name, SyncTrigger trigger, RatePacer pacer, Secrets secrets) {
        this.name = name;
        this.trigger = trigger;
        this.pacer = pacer;
        this.secrets = secrets;
    }

    synchronized void started(StreamRun run, int partitions) {
        live = run;
        liveStarted = run.startedAt();
        livePacer = PacerMark.of(pacer);
        liveRetries = 0;
        livePartitions = partitions;
        livePartitionsStarted = 0;
        livePartition = null;
        lastStarted = run.startedAt();
        lastFinished = null;
        lastMode = run.mode();
        lastStatus = SyncRunLog.RUNNING;
        lastError = null;
    }

    /**
     * The last run as {@code _sync_runs} has it, shown by a runtime that starts (a `run` restarted after a
     * failed sync is not healthy until it syncs again). This process's own counters stay at 0.
     */
    synchronized void restore(SyncRunLog.Run run) {
        if (lastStarted != null) return; // a run of this process shows already
        lastStarted = run.startedAt();
        lastFinished = run.finishedAt();
        lastStatus = run.status();
        lastMode = run.mode();
        lastError = oneLine(run.error());
        lastSeconds = run.seconds() == null ? 0 : run.seconds();
        last = RunNumbers.of(run.counts());
    }

    /** Counts the partitions begun, for a progress bar over the partitions of a child stream. */
    synchronized void pageWritten(StreamRun run) {
        if (live != run) return;
        if (livePartitionsStarted == 0 || !java.util.Objects.equals(livePartition, run.getPartition())) livePartitionsStarted++;
        livePartition = run.getPartition();
    }

    synchronized void retried() {
        if (live != null) liveRetries++;
    }

    synchronized void skipped() {
        skippedRuns++;
    }

    synchronized void finished(StreamResult result) {
        PacerMark waited = live == null ? PacerMark.ZERO : PacerMark.of(pacer).since(livePacer);
        RunNumbers numbers = new RunNumbers(result.counts(), live == null ? 0 : liveRetries, waited);
        // a run that failed before it opened (the cache, say) was never announced as started
        if (live == null) lastStarted = Instant.now().minusMillis((long) (result.seconds() * 1000));
        live = null;
        lastFinished = Instant.now();
        lastStatus = result.status();
        if (result.mode() != null) lastMode = result.mode();
        lastError = oneLine(result.error());
        lastSeconds = result.seconds();
        last = numbers;
        total = total.plus(numbers);
        runs++;
        if (SyncRunLog.FAILED.equals(result.status())) failedRuns++;
        if (SyncRunLog.INTERRUPTED.equals(result.status())) interruptedRuns++;
    }

    /** The run in progress as it stands, or the last one. */
    private RunNumbers current() {
        if (live == null) return last;
        return new RunNumbers(live.counts(), liveRetries, PacerMark.of(pacer).since(livePacer));
    }

    private double currentSeconds() {
        return live == null ? lastSeconds : Duration.between(liveStarted, Instant.now()).toMillis() / 1000.0;
    }

    private RunNumbers totals() {
        return live == null ? total : total.plus(current());
    }

    private String oneLine(String text) {
        return text == null ? null : secrets.redact(text);
    }

    /** A consistent view for progress output. */
    synchronized StreamProgress progress() {
        RunNumbers n = current();
        double seconds = currentSeconds();
        RunCounts c = n.counts();
        return new StreamProgress(name, lastStatus, c.records() + c.rejected(), c.pages(), seconds > 0 ? c.records() / seconds : 0,
                seconds, live == null ? 0 : livePartitions, live == null ? 0 : livePartitionsStarted);
    }

    /** Whether a run of this stream began at or after that instant (in this sync, say). */
    synchronized boolean ranSince(Instant since) {
        return lastStarted != null && !lastStarted.isBefore(since);
    }

    boolean failed() {
        return SyncRunLog.FAILED.equals(getLastStatus());
    }

    public String name() {
        return name;
    }

    // --- JMX ------------------------------------------------------------------------------------

    @ManagedAttribute(description = "The stream's name")
    public String getStream() {
        return name;
    }

    @ManagedAttribute(description = "Whether a run of this stream is in progress")
    public synchronized boolean isRunning() {
        return live != null;
    }

    @ManagedAttribute(description = "When the run in progress or the last run started (ISO-8601), empty if none since start")
    public synchronized String getLastRunStarted() {
        return lastStarted == null ? "" : lastStarted.toString();
    }

    @ManagedAttribute(description = "When the last run finished (ISO-8601), empty while one runs or if none since start")
    public synchronized String getLastRunFinished() {
        return lastFinished == null ? "" : lastFinished.toString();
    }

    @ManagedAttribute(description = "running, succeeded, failed, interrupted, or never (no run since start)")
    public synchronized String getLastStatus() {
        return lastStatus;
    }

    @ManagedAttribute(description = "incremental, full pass or full refresh")
    public synchronized String getLastMode() {
        return lastMode == null ? "" : lastMode;
    }

    @ManagedAttribute(description = "Why the last run failed (one line), or what interrupted it; empty otherwise")
    public synchronized String getLastError() {
        return lastError == null ? "" : lastError;
    }

    @ManagedAttribute(description = "New records written in the run in progress or the last run")
    public synchronized long getLastRunNew() {
        return current().counts().created();
    }

    @ManagedAttribute(description = "Changed records written in the run in progress or the last run")
    public synchronized long getLastRunChanged() {
        return current().counts().changed();
    }

    @ManagedAttribute(description = "Records read but unchanged (not written) in the run in progress or the last run")
    public synchronized long getLastRunUnchanged() {
        return current().counts().unchanged();
    }

    @ManagedAttribute(description = "Records marked deleted by the last run (a full pass marks them at its end)")
    public synchronized long getLastRunDeleted() {
        return current().counts().deleted();
    }

    @ManagedAttribute(description = "Records refused (see _rejected) in the run in progress or the last run")
    public synchronized long getLastRunRejected() {
        return current().counts().rejected();
    }

    @ManagedAttribute(description = "Pages fetched in the run in progress or the last run")
    public synchronized long getLastRunPages() {
        return current().counts().pages();
    }

    @ManagedAttribute(description = "API requests (pages, retries included) in the run in progress or the last run")
    public synchronized long getLastRunRequests() {
        return current().counts().requests();
    }

    @ManagedAttribute(description = "Requests retried (429, 5xx, resets, timeouts, broken answers) in the run in progress or the last run")
    public synchronized long getLastRunRetries() {
        return current().retries();
    }

    @ManagedAttribute(description = "Times a request waited because the API said so (after a 429, for a window it announced as spent)"
            + " in the run in progress or the last run")
    public synchronized long getLastRunRateLimitWaits() {
        return current().pacer().rateLimitWaits();
    }

    @ManagedAttribute(description = "Milliseconds of the waits the API forced in the run in progress or the last run")
    public synchronized long getLastRunRateLimitWaitMillis() {
        return current().pacer().rateLimitWaitMillis();
    }

    @ManagedAttribute(description = "Times a request waited for our own pacing only (persistiq.max-requests-per-minute, the announced limit"
            + " spread over its window) in the run in progress or the last run")
    public synchronized long getLastRunPacingWaits() {
        return current().pacer().pacingWaits();
    }

    @ManagedAttribute(description = "Milliseconds of the pacing waits in the run in progress or the last run")
    public synchronized long getLastRunPacingWaitMillis() {
        return current().pacer().pacingWaitMillis();
    }

    @ManagedAttribute(description = "429 answers in the run in progress or the last run")
    public synchronized long getLastRunRateLimited() {
        return current().pacer().rateLimited();
    }

    @ManagedAttribute(description = "Seconds the run in progress has taken so far, or the last run took")
    public synchronized double getLastRunSeconds() {
        return Math.round(currentSeconds() * 10) / 10.0;
    }

    @ManagedAttribute(description = "Records read per second in the run in progress or the last run")
    public synchronized double getLastRunRecordsPerSecond() {
        double seconds = currentSeconds();
        return seconds <= 0 ? 0 : Math.round(current().counts().records() / seconds * 10) / 10.0;
    }

    @ManagedAttribute(description = "New records written since the runtime started")
    public synchronized long getTotalNew() {
        return totals().counts().created();
    }

    @ManagedAttribute(description = "Changed records written since the runtime started")
    public synchronized long getTotalChanged() {
        return totals().counts().changed();
    }

    @ManagedAttribute(description = "Unchanged records read since the runtime started")
    public synchronized long getTotalUnchanged() {
        return totals().counts().unchanged();
    }

    @ManagedAttribute(description = "Records marked deleted since the runtime started")
    public synchronized long getTotalDeleted() {
        return totals().counts().deleted();
    }

    @ManagedAttribute(description = "Records refused since the runtime started")
    public synchronized long getTotalRejected() {
        return totals().counts().rejected();
    }

    @ManagedAttribute(description = "Pages fetched since the runtime started")
    public synchronized long getTotalPages() {
        return totals().counts().pages();
    }

    @ManagedAttribute(description = "API requests since the runtime started")
    public synchronized long getTotalRequests() {
        return totals().counts().requests();
    }

    @ManagedAttribute(description = "Requests retried since the runtime started")
    public synchronized long getTotalRetries() {
        return totals().retries();
    }

    @ManagedAttribute(description = "Waits the API forced (after a 429, for a window it announced as spent) since the runtime started")
    public synchronized long getTotalRateLimitWaits() {
        return totals().pacer().rateLimitWaits();
    }

    @ManagedAttribute(description = "Milliseconds of the waits the API forced since the runtime started")
    public synchronized long getTotalRateLimitWaitMillis() {
        return totals().pacer().rateLimitWaitMillis();
    }

    @ManagedAttribute(description = "Waits for our own pacing since the runtime started")
    public synchronized long getTotalPacingWaits() {
        return totals().pacer().pacingWaits();
    }

    @ManagedAttribute(description = "Milliseconds of the pacing waits since the runtime started")
    public synchronized long getTotalPacingWaitMillis() {
        return totals().pacer().pacingWaitMillis();
    }

    @ManagedAttribute(description = "429 answers since the runtime started")
    public synchronized long getTotalRateLimited() {
        return totals().pacer().rateLimited();
    }

    @ManagedAttribute(description = "Runs finished since the runtime started")
    public synchronized long getRuns() {
        return runs;
    }

    @ManagedAttribute(description = "Runs failed since the runtime started")
    public synchronized long getFailedRuns() {
        return failedRuns;
    }

    @ManagedAttribute(description = "Runs interrupted by a shutdown since the runtime started")
    public synchronized long getInterruptedRuns() {
        return interruptedRuns;
    }

    @ManagedAttribute(description = "Syncs of this stream skipped because another sync of its account was running: in this runtime,"
            + " or on another node or process holding the account's writer lock (PostgreSQL cache)")
    public synchronized long getSkippedRuns() {
        return skippedRuns;
    }

    @ManagedOperation(description = "Sync this stream now, in the background; answers whether it started, or why it was skipped"
            + " (a sync of the account running here, or another node holding the writer lock)")
    public String syncNow() {
        return trigger.syncStream(name, false);
    }

    @ManagedOperation(description = "Forget this stream's state and watermark and rewrite it, in the background")
    public String fullRefresh() {
        return trigger.syncStream(name, true);
    }
}
