package io.persistiqsync.management;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import io.persistiqsync.config.SyncSettings;
import io.persistiqsync.api.Secrets;
import io.persistiqsync.cache.CacheTarget;
import io.persistiqsync.cache.CacheUrls;
import io.persistiqsync.sync.SyncObserver;
import io.persistiqsync.sync.SyncRequest;
import io.persistiqsync.sync.SyncSession;

/**
 * Readiness: the cache database can be opened. While a sync runs it holds a working connection, so
 * the check does not open a second one; otherwise it opens one and closes it at once. A sync that
 * starts meanwhile waits for that probe to close first (see {@link #syncStarted}): a DuckDB file
 * opened twice at the same moment in one process can refuse one of them.
 */
public class CacheReadinessCheck extends AbstractHealthCheck implements SyncObserver {
    static final String ID = "persistiq-cache";

    private final SyncSettings settings;
    private final SyncSession session;
    private final Secrets secrets;
    private final ReentrantLock probe = new ReentrantLock();

    CacheReadinessCheck(SyncSettings settings, SyncSession session, Secrets secrets, String idSuffix) {
        super("persistiq", ID + idSuffix);
        this.settings = settings;
        this.session = session;
        this.secrets = secrets;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        String url = CacheUrls.withoutCredentials(settings.cacheUrl());
        builder.detail("cache.url", url);
        probe.lock();
        try {
            if (session.running()) {
                builder.detail("sync", "running").up();
                return;
            }
            try (Connection c = probeTarget().connect()) {
                builder.up();
            }
        } catch (SQLException | RuntimeException e) {
            String reason = secrets.redact(String.valueOf(e.getMessage()));
            builder.message("cannot open the cache " + url + ": " + reason).down();
        } finally {
            probe.unlock();
        }
    }

    private CacheTarget probeTarget() {
        CacheTarget target = settings.cacheTarget();
        Properties props = target.driverProperties();
        // a database server that does not answer should not hold the check for the driver's default (minutes)
        if (settings.cacheUrl().startsWith("jdbc:postgresql:")) props.setProperty("connectTimeout", "5");
        return new CacheTarget(target.url(), target.schema(), target.driversDir(), props);
    }

    /** Called with the sync lock held, before the sync opens the cache: waits out a probe in progress. */
    @Override
    public void syncStarted(SyncRequest request) {
        probe.lock();
        probe.unlock();
    }
}
