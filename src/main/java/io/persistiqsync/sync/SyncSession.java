package io.persistiqsync.sync;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.persistiqsync.config.SyncSettings;
import io.persistiqsync.api.ApiAccount;
import io.persistiqsync.api.RatePacer;
import io.persistiqsync.api.StreamCatalog;
import io.persistiqsync.api.StreamDefinition;
import io.persistiqsync.cache.CacheStore;
import io.persistiqsync.cache.CacheUrls;
import io.persistiqsync.routes.RouteNames;
import io.persistiqsync.cache.WriterLock;

/**
 * One sync at a time: holds the cache connection while a sync runs and only then (a DuckDB file is
 * free for other tools between syncs). A sync asked for while another runs (a scheduled fire during
 * a long sync, a JMX syncNow()) is skipped and counted, never run twice at once. On a PostgreSQL cache
 * the same holds across processes and hosts: the sync holds the account's {@link WriterLock}.
 * <p>
 * It is what one account's sync shares: the settings, the rate pacer, the cache connection, the
 * request and report. {@link #open} puts it on the exchange ({@code session}), and the stage beans
 * reach it from there or through the run, never through a field of their own.
 */
public class SyncSession {
    private static final Logger LOG = LoggerFactory.getLogger(SyncSession.class);

    /** why this exchange's sync was skipped (read by close) */
    private static final String SKIPPED_BECAUSE = "syncSkippedBecause";
    /**
     * An exchange property a caller that does not wait for the whole sync may set to a
     * {@code CompletableFuture<String>}: open completes it with null once the sync has passed both guards
     * (this runtime's and the writer lock), or with the reason it is skipped. A JMX syncNow() answers from
     * it, so it never says "started" for a sync that another node's lock turns away.
     */
    public static final String BEGUN = "syncBegun";

    private final SyncSettings settings;
    private final ApiAccount account;
    private final WriterLock writerLock;
    private final String node;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong cacheWaits = new AtomicLong();
    private volatile CacheStore store;
    private volatile SyncRequest request;
    private volatile SyncReport report;
    private volatile boolean keyRefused;
    private volatile SyncObserver observer = SyncObserver.NONE;
    private volatile BooleanSupplier stopRequested = () -> false;
    /** run-log writes the cache refused (its connection gone, its disk full): written by the next sync */
    private final List<CacheWork> unrecorded = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Work on the cache, committed by whoever runs it. */
    @FunctionalInterface
    public interface CacheWork {
        void apply(CacheStore db) throws SQLException;
    }

    /** @param writerLock held while a sync runs (null: none); @param node written into each run's row */
    public SyncSession(SyncSettings settings, ApiAccount account, WriterLock writerLock, String node) {
        this.settings = settings;
        this.account = account;
        this.writerLock = writerLock;
        this.node = node;
    }

    /** The account this session syncs: its name, host, key and pacer. */
    public ApiAccount account() {
        return account;
    }

    public SyncSettings settings() {
        return settings;
    }

    /** The pacer of this account's requests (it also counts them: a run's requests are its difference). */
    public RatePacer pacer() {
        return account.pacer();
    }

    /** This runtime's node id (sync.cluster.node-id), as _sync_runs.node records it. */
    public String node() {
        return node;
    }

    /** The request for a sync of the configured streams (what the schedule runs). */
    public SyncRequest configuredRequest() {
        return new SyncRequest(StreamCatalog.select(settings.streams()), false, false);
    }

    /**
     * Starts a sync: takes the lock, opens the cache, answers the streams to sync (none when skipped).
     * The exchange carries the session from here on: each stream's run is planned and recorded with it.
     */
    public List<StreamDefinition> open(@Body Object body, Exchange exchange) throws SQLException {
        exchange.setProperty(RouteNames.SESSION, this);
        exchange.setProperty(io.persistiqsync.api.ApiAccounts.PROPERTY, account);
        if (!lock.tryLock()) return skip(body, exchange, "a sync of account " + account.name() + " is running");
        String heldElsewhere;
        try {
            heldElsewhere = writerLock == null ? null : writerLock.tryAcquire();
        } catch (SQLException | RuntimeException e) {
            lock.unlock();
            throw cannotOpen(e);
        }
        if (heldElsewhere != null) {
            lock.unlock();
            return skip(body, exchange, heldElsewhere);
        }
        begun(exchange, null);
        try {
            request = body instanceof SyncRequest r ? r : configuredRequest();
            report = new SyncReport();
            keyRefused = false;
            observer.syncStarted(request);
            store = openCache();
            writeUnrecorded();
            return request.streams();
        } catch (SQLException | RuntimeException | InterruptedException e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            observer.syncFinished();
            if (writerLock != null) writerLock.release();
            lock.unlock();
            throw cannotOpen(e);
        }
    }

    private SyncSettings.ConfigurationException cannotOpen(Exception e) {
        return new SyncSettings.ConfigurationException("cache.url", "= " + CacheUrls.withoutCredentials(settings.cacheUrl())
                + ": cannot open the cache: " + settings.secrets().redact(String.valueOf(e.getMessage())));
    }

    /** A sync that does not run: counted (SkippedSyncs), said in one line, and answered with the reason. */
    private List<StreamDefinition> skip(Object body, Exchange exchange, String reason) {
        skipped.incrementAndGet();
        observer.syncSkipped(body instanceof SyncRequest r ? r : configuredRequest());
        LOG.warn("{}: this one is skipped", reason);
        if (exchange != null) exchange.setProperty(SKIPPED_BECAUSE, reason);
        begun(exchange, reason);
        return List.of();
    }

    /** Tells a caller waiting on {@link #BEGUN} whether the sync began (null) or why it is skipped. */
    @SuppressWarnings("unchecked")
    private static void begun(Exchange exchange, String skippedBecause) {
        Object waiting = exchange == null ? null : exchange.getProperty(BEGUN);
        if (waiting instanceof CompletableFuture<?> f) ((CompletableFuture<String>) f).complete(skippedBecause);
    }

    /**
     * Opens the cache, waiting up to cache.lock-wait while another process holds the DuckDB file (a
     * `status`, an export, an analyst's session): DuckDB lets one process write, or any number read.
     */
    private CacheStore openCache() throws SQLException, InterruptedException {
        long giveUp = System.nanoTime() + settings.cacheLockWait().toNanos();
        boolean said = false;
        while (true) {
            try {
                return settings.openCache();
            } catch (SQLException e) {
                if (!String.valueOf(e.getMessage()).contains("Could not set lock on file") || System.nanoTime() > giveUp) throw e;
                cacheWaits.incrementAndGet();
                if (!said) LOG.info("the cache file is held by another process: waiting up to {} (cache.lock-wait)", settings.cacheLockWait());
                said = true;
                Thread.sleep(250);
            }
        }
    }

    /**
     * Rolls back what the sync had not committed. When the rollback fails too (the connection is gone),
     * that second failure is kept under the first, never in its place.
     */
    public void rollbackQuietly(Throwable first) {
        CacheStore s = store;
        if (s == null) return;
        try {
            s.rollback();
        } catch (SQLException | RuntimeException second) {
            if (first != null && first != second) first.addSuppressed(second);
        }
    }

    /**
     * Writes to the run log and commits, even when the sync's own connection is gone: then over a fresh
     * one. When the cache cannot be written at all (its disk full), the write is kept and done by the next
     * sync of this process, so the run is never left looking as if its process had died.
     */
    public void record(CacheWork work) {
        try {
            work.apply(store());
            store().commit();
            return;
        } catch (SQLException | RuntimeException onOwn) {
            rollbackQuietly(onOwn);
        }
        try (CacheStore fresh = settings.openCache()) {
            work.apply(fresh);
            fresh.commit();
        } catch (SQLException | RuntimeException refused) {
            unrecorded.add(work);
            LOG.warn("the run could not be recorded in the cache now ({}): it will be by the next sync", settings.secrets().redact(
                    String.valueOf(refused.getMessage())));
        }
    }

    private void writeUnrecorded() {
        for (CacheWork work : unrecorded) {
            try {
                work.apply(store);
                store.commit();
                unrecorded.remove(work);
            } catch (SQLException | RuntimeException stillRefused) {
                rollbackQuietly(stillRefused);
                return;
            }
        }
    }

    /**
     * After the cache's connection was lost: the old one is closed and a new one opened. When the
     * database is not back yet, the closed one stays, so the next attempt fails the same way and is
     * retried after its backoff (cache.max-attempts).
     */
    public void reconnect() {
        CacheStore old = store;
        try {
            if (old != null) old.close();
        } catch (SQLException | RuntimeException alreadyGone) {
            // closing a lost connection can fail: it is being replaced anyway
        }
        try {
            store = settings.openCache();
        } catch (SQLException | RuntimeException notBackYet) {
            LOG.debug("the cache is not back yet: {}", notBackYet.getMessage());
            return;
        }
        regainWriterLock();
    }

    /** The writer lock's session may have gone with the connection (a database restart): taken again, or this sync ends. */
    private void regainWriterLock() {
        if (writerLock == null || !writerLock.applies() || writerLock.held()) return;
        writerLock.release();
        String heldElsewhere;
        try {
            heldElsewhere = writerLock.tryAcquire();
        } catch (SQLException notBackYet) {
            return; // the next attempt fails on the cache the same way and comes back here
        }
        if (heldElsewhere != null) throw new IllegalStateException("the writer lock went with the lost connection and " + heldElsewhere);
    }

    /** How often a sync found the cache file held by another process and waited (since start). */
    public long cacheWaits() {
        return cacheWaits.get();
    }

    /** Ends the sync: closes the cache and answers the report (a skipped report if this sync never started). */
    public SyncReport close(Exchange exchange) throws SQLException {
        if (!lock.isHeldByCurrentThread()) {
            return SyncReport.skippedReport(exchange == null ? null : exchange.getProperty(SKIPPED_BECAUSE, String.class));
        }
        try {
            if (store != null) {
                try {
                    store.close();
                } catch (SQLException lost) {
                    // a connection lost during the sync cannot close cleanly; its failure is in the report already
                }
            }
            return report;
        } finally {
            store = null;
            if (writerLock != null) writerLock.release();
            observer.syncFinished();
            lock.unlock();
        }
    }

    public CacheStore store() {
        CacheStore s = store;
        if (s == null) throw new IllegalStateException("no sync is running");
        return s;
    }

    public SyncRequest request() {
        return request;
    }

    public SyncReport report() {
        return report;
    }

    public boolean running() {
        return lock.isLocked();
    }

    public long skipped() {
        return skipped.get();
    }

    /** Who hears of the sync's progress (JMX statistics, health, progress output). */
    public SyncObserver observer() {
        return observer;
    }

    public void observer(SyncObserver observer) {
        this.observer = observer;
    }

    /** Whether a stop (SIGTERM) asks the sync in progress to end at its next page boundary. */
    public boolean stopRequested() {
        return stopRequested.getAsBoolean();
    }

    public void stopWhen(BooleanSupplier stopRequested) {
        this.stopRequested = stopRequested;
    }

    boolean keyRefused() {
        return keyRefused;
    }

    void keyRefused(boolean refused) {
        this.keyRefused = refused;
    }
}
