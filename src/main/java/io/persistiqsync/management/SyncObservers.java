package io.persistiqsync.management;

import java.util.List;

import io.persistiqsync.sync.StreamResult;
import io.persistiqsync.sync.StreamRun;
import io.persistiqsync.sync.SyncObserver;
import io.persistiqsync.sync.SyncRequest;

/** Several observers behind the one the sync code calls, in order. */
final class SyncObservers implements SyncObserver {
    private final List<SyncObserver> observers;

    SyncObservers(SyncObserver... observers) {
        this.observers = List.of(observers);
    }

    @Override
    public void syncStarted(SyncRequest request) {
        observers.forEach(o -> o.syncStarted(request));
    }

    @Override
    public void syncSkipped(SyncRequest request) {
        observers.forEach(o -> o.syncSkipped(request));
    }

    @Override
    public void runStarted(StreamRun run, int partitions) {
        observers.forEach(o -> o.runStarted(run, partitions));
    }

    @Override
    public void pageWritten(StreamRun run) {
        observers.forEach(o -> o.pageWritten(run));
    }

    @Override
    public void runFinished(StreamResult result) {
        observers.forEach(o -> o.runFinished(result));
    }

    @Override
    public void syncFinished() {
        observers.forEach(SyncObserver::syncFinished);
    }
}
