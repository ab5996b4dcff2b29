package io.persistiqsync.simulator;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The faults waiting to be injected. Each injection matches requests whose path starts with its
 * prefix and is used up one matching request at a time; injections are tried in the order they were
 * made. Thread-safe.
 */
public final class FaultPlan {

    private static final class Injection {
        private final String pathPrefix;
        private final Fault fault;
        private int remaining;

        private Injection(String pathPrefix, Fault fault, int remaining) {
            this.pathPrefix = pathPrefix;
            this.fault = fault;
            this.remaining = remaining;
        }
    }

    private final List<Injection> injections = new ArrayList<>(); // guarded by this

    /**
     * Injects {@code fault} into the next {@code times} requests whose path starts with
     * {@code pathPrefix} (e.g. {@code "/v1/leads"}; {@code ""} matches every request).
     */
    public synchronized void inject(String pathPrefix, Fault fault, int times) {
        Objects.requireNonNull(pathPrefix, "pathPrefix");
        Objects.requireNonNull(fault, "fault");
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1: " + times);
        }
        injections.add(new Injection(pathPrefix, fault, times));
    }

    /** How many injected faults have not happened yet. */
    public synchronized int pending() {
        return injections.stream().mapToInt(injection -> injection.remaining).sum();
    }

    public synchronized void clear() {
        injections.clear();
    }

    /** Uses up and returns the first fault for this path whose kind is wanted, or null. */
    synchronized Fault take(String path, Predicate<Fault.Kind> wanted) {
        for (Iterator<Injection> it = injections.iterator(); it.hasNext(); ) {
            Injection injection = it.next();
            if (path.startsWith(injection.pathPrefix) && wanted.test(injection.fault.kind())) {
                if (--injection.remaining == 0) {
                    it.remove();
                }
                return injection.fault;
            }
        }
        return null;
    }
}
