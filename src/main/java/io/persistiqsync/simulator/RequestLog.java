package io.persistiqsync.simulator;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The requests the simulator answered, most recent last. An entry is added before its answer is
 * written, so a client that has its answer finds its request here. Only the last
 * {@value #CAPACITY} are kept (all counts are over those), so a long-running simulator stays small.
 * Thread-safe.
 */
public final class RequestLog {

    static final int CAPACITY = 100_000;

    private final Deque<RecordedRequest> requests = new ArrayDeque<>(); // guarded by this

    synchronized void add(RecordedRequest request) {
        if (requests.size() == CAPACITY) {
            requests.removeFirst();
        }
        requests.addLast(request);
    }

    public synchronized int count() {
        return requests.size();
    }

    /** Requests whose path starts with {@code pathPrefix}. */
    public synchronized int count(String pathPrefix) {
        return (int) requests.stream().filter(request -> request.path().startsWith(pathPrefix)).count();
    }

    /** Requests answered with 429, whether by the rate limit or an injected fault. */
    public synchronized int rateLimited() {
        return (int) requests.stream().filter(request -> request.status() == 429).count();
    }

    public synchronized List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    public synchronized void clear() {
        requests.clear();
    }
}
