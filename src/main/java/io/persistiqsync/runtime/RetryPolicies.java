package io.persistiqsync.runtime;

import java.time.Duration;

import org.apache.camel.LoggingLevel;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;

import io.persistiqsync.config.SyncSettings;

/**
 * The redelivery policies error-handling.camel.yaml refers to, built from persistiq.max-attempts and
 * persistiq.retry-* (the API), cache.max-attempts and cache.retry-* (the cache database); attempts
 * count the first try, Camel counts redeliveries.
 */
public final class RetryPolicies {
    private RetryPolicies() {
    }

    /** 429: no delay of its own; the pacer already holds the next request until the API's reset. */
    public static RedeliveryPolicy rateLimit(SyncSettings settings) {
        return quiet(new RedeliveryPolicy()).maximumRedeliveries(settings.maxAttempts() - 1).redeliveryDelay(0);
    }

    /** 5xx, resets, timeouts, broken bodies: exponential backoff with jitter. */
    public static RedeliveryPolicy backoff(SyncSettings settings) {
        return exponential(settings.maxAttempts(), settings.retryInitialDelay(), settings.retryMaxDelay())
                .useCollisionAvoidance().collisionAvoidancePercent(25);
    }

    /** A lost cache connection: the stream is run again from its last commit after an exponential backoff. */
    public static RedeliveryPolicy cache(SyncSettings settings) {
        return exponential(settings.cacheMaxAttempts(), settings.cacheRetryInitialDelay(), settings.cacheRetryMaxDelay())
                // CacheRecovery says each attempt in its own words; Camel's line would repeat it
                .retryAttemptedLogLevel(LoggingLevel.DEBUG);
    }

    private static RedeliveryPolicy exponential(int attempts, Duration initialDelay, Duration maxDelay) {
        return quiet(new RedeliveryPolicy()).maximumRedeliveries(attempts - 1).redeliveryDelay(initialDelay.toMillis())
                .maximumRedeliveryDelay(maxDelay.toMillis()).useExponentialBackOff().backOffMultiplier(2);
    }

    private static RedeliveryPolicy quiet(RedeliveryPolicy policy) {
        return policy.retryAttemptedLogLevel(LoggingLevel.INFO).logStackTrace(false).logRetryStackTrace(false)
                .logExhausted(false).logHandled(false).logExhaustedMessageHistory(false).logExhaustedMessageBody(false);
    }
}
