package io.persistiqsync.management;

import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM (or Ctrl-C) while a sync runs: Camel is stopped gracefully, and a sync in progress sees the
 * context stopping at its next page boundary, commits what it wrote, records its run as interrupted
 * and ends (see PageReader.nextPage). Camel waits for it up to {@code shutdown.timeout} seconds
 * (camel.main.shutdown-timeout), then stops anyway; the process exits in that bound plus a little.
 * camel-main installs a hook of its own only for {@code run}; this one covers the one-shot commands
 * too, and two hooks stopping the same context are harmless.
 */
class GracefulShutdown extends ServiceSupport {
    private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdown.class);
    /** beyond shutdown.timeout: Camel's forced stop and closing the cache */
    private static final long MARGIN_MILLIS = 5_000;

    private final CamelContext context;
    private final int timeoutSeconds;
    private Thread hook;

    GracefulShutdown(CamelContext context, int timeoutSeconds) {
        this.context = context;
        this.timeoutSeconds = timeoutSeconds;
    }

    @Override
    protected void doStart() {
        hook = new Thread(this::stopCamel, "persistiq-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    protected void doStop() {
        try {
            if (hook != null && Thread.currentThread() != hook) Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already running its hooks: ours included
        }
        hook = null;
    }

    private void stopCamel() {
        if (context.isStopped()) return;
        LOG.info("stopping: a sync in progress commits its current batch and is recorded as interrupted (at most {} s)", timeoutSeconds);
        Thread stopper = new Thread(context::stop, "persistiq-stop");
        stopper.setDaemon(true);
        stopper.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds) + TimeUnit.MILLISECONDS.toNanos(MARGIN_MILLIS);
        try {
            // another thread (camel-main's own hook, or the command ending) may be stopping it: wait for the outcome
            while (!context.isStopped() && System.nanoTime() < deadline) {
                stopper.join(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!context.isStopped()) LOG.warn("Camel did not stop within {} s: exiting anyway", timeoutSeconds);
    }
}
