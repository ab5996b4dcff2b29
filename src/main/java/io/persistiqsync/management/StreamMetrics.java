package io.persistiqsync.management;

import java.time.Instant;
import java.util.Collection;
import java.util.function.ToDoubleFunction;

import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * The per-stream counters the MBeans show, as Micrometer meters named {@code persistiq_...} with the
 * stream as a tag: Camel's Prometheus endpoint ({@code /observe/metrics}, camel.management.* and
 * camel.metrics.enabled) then serves them beside Camel's own. They read the same ManagedStream the MBean
 * reads, so JMX and Prometheus never disagree. Nothing is registered when metrics are off.
 */
final class StreamMetrics implements StartupListener {
    private final Collection<ManagedStream> streams;

    /** @param account the account tag, or null where the runtime has one account only */
    private final String account;

    StreamMetrics(Collection<ManagedStream> streams, String account) {
        this.streams = streams;
        this.account = account;
    }

    /** Camel main binds its meter registry while it starts: the meters are added once it has. */
    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
        if (registry == null) return;
        for (ManagedStream s : streams) {
            // the account tag only where there are several: one account's series stay as they were
            Tags stream = account == null ? Tags.of("stream", s.getStream()) : Tags.of("account", account, "stream", s.getStream());
            records(registry, s, stream, "new", ManagedStream::getTotalNew);
            records(registry, s, stream, "changed", ManagedStream::getTotalChanged);
            records(registry, s, stream, "unchanged", ManagedStream::getTotalUnchanged);
            records(registry, s, stream, "deleted", ManagedStream::getTotalDeleted);
            records(registry, s, stream, "rejected", ManagedStream::getTotalRejected);
            counter(registry, "persistiq_pages", "pages read", s, stream, ManagedStream::getTotalPages);
            counter(registry, "persistiq_requests", "API requests sent", s, stream, ManagedStream::getTotalRequests);
            counter(registry, "persistiq_retries", "API requests retried", s, stream, ManagedStream::getTotalRetries);
            counter(registry, "persistiq_rate_limited", "429 answers", s, stream, ManagedStream::getTotalRateLimited);
            counter(registry, "persistiq_rate_limit_waits", "waits the API forced: after a 429, for a window it announced as spent", s, stream,
                    ManagedStream::getTotalRateLimitWaits);
            counter(registry, "persistiq_pacing_waits", "waits for our own pacing (persistiq.max-requests-per-minute)", s, stream,
                    ManagedStream::getTotalPacingWaits);
            counter(registry, "persistiq_runs", "runs finished", s, stream, ManagedStream::getRuns);
            counter(registry, "persistiq_failed_runs", "runs that failed", s, stream, ManagedStream::getFailedRuns);
            gauge(registry, "persistiq_last_run_succeeded", "1 when the last run succeeded, 0 when it did not, -1 before any run", s, stream,
                    m -> switch (m.getLastStatus()) {
                        case "succeeded" -> 1;
                        case "never", "running" -> -1;
                        default -> 0;
                    });
            gauge(registry, "persistiq_last_run_finished_timestamp_seconds", "when the last run finished (epoch seconds; 0: none)", s, stream,
                    m -> m.getLastRunFinished().isEmpty() ? 0 : Instant.parse(m.getLastRunFinished()).getEpochSecond());
            gauge(registry, "persistiq_last_run_seconds", "how long the last run took", s, stream, ManagedStream::getLastRunSeconds);
        }
    }

    private static void records(MeterRegistry registry, ManagedStream s, Tags stream, String outcome, ToDoubleFunction<ManagedStream> count) {
        FunctionCounter.builder("persistiq_records", s, count).description("records by outcome").tags(stream.and("outcome", outcome))
                .register(registry);
    }

    private static void counter(MeterRegistry registry, String name, String description, ManagedStream s, Tags stream,
            ToDoubleFunction<ManagedStream> count) {
        FunctionCounter.builder(name, s, count).description(description).tags(stream).register(registry);
    }

    private static void gauge(MeterRegistry registry, String name, String description, ManagedStream s, Tags stream,
            ToDoubleFunction<ManagedStream> value) {
        Gauge.builder(name, s, value).description(description).tags(stream).register(registry);
    }
}
