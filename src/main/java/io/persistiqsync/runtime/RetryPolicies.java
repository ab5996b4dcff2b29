package io.persistiqsync.runtime;

import org.apache.camel.LoggingLevel;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;

import io.persistiqsync.config.SyncSettings;

/**
 * The redelivery policies error-handling.camel.yaml refers to, built from persistiq.max-attempts
 * and persistiq.retry-* (attempts count the first try, Camel counts redeliveries).
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
        return quiet(new RedeliveryPolicy())
                .maximumRedeliveries(settings.maxAttempts() - 1)
                .redeliveryDelay(settings.retryInitialDelay().toMillis())
                .maximumRedeliveryDelay(settings.retryMaxDelay().toMillis())
                .useExponentialBackOff().backOffMultiplier(2)
                .useCollisionAvoidance().collisionAvoidancePercent(25);
    }

    private static RedeliveryPolicy quiet(RedeliveryPolicy policy) {
        return policy.retryAttemptedLogLevel(LoggingLevel.INFO).logStackTrace(false).logRetryStackTrace(false)
                .logExhausted(false).logHandled(false).logExhaustedMessageHistory(false).logExhaustedMessageBody(false);
    }
}
