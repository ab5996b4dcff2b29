package io.persistiqsync.management;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.persistiqsync.api.RatePacer;
import io.persistiqsync.api.Secrets;
import io.persistiqsync.api.StreamCatalog;
import io.persistiqsync.api.StreamDefinition;
import io.persistiqsync.sync.StreamResult;
import io.persistiqsync.sync.StreamRun;
import io.persistiqsync.sync.SyncObserver;
import io.persistiqsync.sync.SyncRequest;

/**
 * Follows the syncs of this process: one {@link ManagedStream} per stream of the catalog, and which
 * sync is in progress with its streams in order (for progress output and the runtime MBean).
 */
public class SyncMonitor implements SyncObserver {
    private final Map<String, ManagedStream> streams = new LinkedHashMap<>();
    private final AtomicLong syncs = new AtomicLong();

    // guarded by this
    private List<String> syncStreams = List.of();
    private boolean syncRunning;
    private Instant syncStarted;
    private Instant syncFinished;
    private String currentStream;

    SyncMonitor(SyncTrigger trigger, RatePacer pacer, Secrets secrets) {
        for (StreamDefinition s : StreamCatalog.all()) streams.put(s.name(), new ManagedStream(s.name(), trigger, pacer, secrets));
    }

    public Collection<ManagedStream> streams() {
        return streams.values();
    }

    public ManagedStream stream(String name) {
        return streams.get(name);
    }

    @Override
    public synchronized void syncStarted(SyncRequest request) {
        syncs.incrementAndGet();
        syncStreams = request.streams().stream().map(StreamDefinition::name).toList();
        syncRunning = true;
        syncStarted = Instant.now();
        syncFinished = null;
        currentStream = null;
    }

    @Override
    public void syncSkipped(SyncRequest request) {
        for (StreamDefinition s : request.streams()) {
            ManagedStream m = streams.get(s.name());
            if (m != null) m.skipped();
        }
    }

    @Override
    public void runStarted(StreamRun run, int partitions) {
        synchronized (this) {
            currentStream = run.getStreamName();
        }
        ManagedStream m = streams.get(run.getStreamName());
        if (m != null) m.started(run, partitions);
    }

    @Override
    public void pageWritten(StreamRun run) {
        ManagedStream m = streams.get(run.getStreamName());
        if (m != null) m.pageWritten(run);
    }

    @Override
    public void runFinished(StreamResult result) {
        ManagedStream m = streams.get(result.stream());
        if (m != null) m.finished(result);
    }

    @Override
    public synchronized void syncFinished() {
        syncRunning = false;
        syncFinished = Instant.now();
        currentStream = null;
    }

    /** A request was retried by the error handler while this stream ran. */
    void retried(String stream) {
        ManagedStream m = streams.get(stream);
        if (m != null) m.retried();
    }

    public long syncsStarted() {
        return syncs.get();
    }

    public synchronized boolean syncRunning() {
        return syncRunning;
    }

    public synchronized Instant lastSyncStarted() {
        return syncStarted;
    }

    public synchronized Instant lastSyncFinished() {
        return syncFinished;
    }

    public synchronized String currentStream() {
        return currentStream;
    }

    /** The sync in progress (or the last one), stream by stream; empty before the first sync. */
    SyncProgress progress() {
        List<String> names;
        Instant started;
        boolean running;
        synchronized (this) {
            names = syncStreams;
            started = syncStarted;
            running = syncRunning;
        }
        List<StreamProgress> out = new ArrayList<>();
        for (String name : names) {
            ManagedStream stream = streams.get(name);
            StreamProgress p = stream.progress();
            // a stream not yet begun in this sync would otherwise show its previous run
            boolean begun = p.running() || started == null || stream.ranSince(started);
            out.add(begun ? p : StreamProgress.waiting(name));
        }
        return new SyncProgress(running, started, List.copyOf(out));
    }
}
