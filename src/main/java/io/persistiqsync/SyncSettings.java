package io.persistiqsync;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.sql.SQLException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import org.apache.camel.spi.PropertiesComponent;

import io.persistiqsync.cache.CacheStore;

/**
 * Every setting the product reads, typed and checked once at start. A bad value fails here with a
 * one-line message that names the key, instead of surfacing later as an odd error in the middle of a sync.
 */
public record SyncSettings(
        String apiKey,
        URI baseUrl,
        List<String> streams,
        int maxRequestsPerMinute,
        int maxAttempts,
        Duration retryInitialDelay,
        Duration retryMaxDelay,
        Duration rateLimitFallbackWait,
        Duration connectTimeout,
        Duration responseTimeout,
        int maxPages,
        int pageConcurrency,
        String cacheUrl,
        String cacheUser,
        String cachePassword,
        String cacheSchema,
        int pagesPerCommit,
        Duration cacheLockWait,
        String duckDbMemoryLimit,
        String duckDbCheckpointThreshold,
        String cron,
        Duration watermarkOverlap,
        Duration fullPassInterval,
        int deleteCheckMax,
        int shutdownTimeoutSeconds) {

    /** The families of keys this product defines (Camel checks its own camel.* keys). */
    private static final List<String> OUR_PREFIXES = List.of("persistiq.", "cache.", "sync.", "shutdown.", "jmx.");

    public static SyncSettings from(PropertiesComponent properties) {
        rejectUnknownKeys(properties);
        Reader r = new Reader(properties);
        URI baseUrl = r.get("persistiq.base-url", SyncSettings::parseBaseUrl);
        return new SyncSettings(
                r.text("persistiq.api-key"),
                baseUrl,
                r.get("persistiq.streams", v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()),
                r.positiveInt("persistiq.max-requests-per-minute"),
                r.positiveInt("persistiq.max-attempts"),
                r.millis("persistiq.retry-initial-delay"),
                r.millis("persistiq.retry-max-delay"),
                r.millis("persistiq.rate-limit-fallback-wait"),
                r.millis("persistiq.connect-timeout"),
                r.millis("persistiq.response-timeout"),
                r.positiveInt("persistiq.max-pages"),
                r.positiveInt("persistiq.page-concurrency"),
                r.get("cache.url", v -> {
                    if (!v.startsWith("jdbc:")) throw new IllegalArgumentException("a JDBC URL starting with jdbc: is expected");
                    return v;
                }),
                r.text("cache.user"),
                r.text("cache.password"),
                r.text("cache.schema"),
                r.positiveInt("cache.pages-per-commit"),
                r.get("cache.lock-wait", Duration::parse),
                r.size("cache.duckdb.memory-limit"),
                r.size("cache.duckdb.checkpoint-threshold"),
                r.get("sync.cron", SyncSettings::checkCron),
                r.get("sync.watermark-overlap", Duration::parse),
                r.get("sync.full-pass-interval", Duration::parse),
                r.wholeNumber("sync.delete-check-max"),
                r.positiveInt("shutdown.timeout"));
    }

    /**
     * A key is known when the packaged application.properties defines it, so a typo in a working-directory
     * file or a -D property fails at start instead of being silently ignored.
     */
    static void rejectUnknownKeys(PropertiesComponent properties) {
        Properties known = new Properties();
        try (InputStream in = SyncSettings.class.getResourceAsStream("/application.properties")) {
            if (in == null) return;
            known.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the packaged application.properties", e);
        }
        Set<String> configured = new TreeSet<>(properties.loadPropertiesAsMap(SyncSettings::ours).keySet().stream().map(Object::toString).toList());
        System.getProperties().stringPropertyNames().stream().filter(SyncSettings::ours).forEach(configured::add);
        for (String key : configured) {
            if (!known.containsKey(key)) throw new ConfigurationException(key, "is not a known setting (application.properties lists them all)");
        }
    }

    private static boolean ours(String key) {
        return OUR_PREFIXES.stream().anyMatch(key::startsWith);
    }

    /** The PersistIQ host is reached over https; plain http only for a simulator on loopback. */
    static URI parseBaseUrl(String value) {
        URI uri = URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
        if (uri.getHost() == null || uri.getScheme() == null) {
            throw new IllegalArgumentException("not an absolute URL");
        }
        boolean loopback = uri.getHost().equals("localhost") || uri.getHost().startsWith("127.") || uri.getHost().equals("[::1]");
        if (!uri.getScheme().equals("https") && !(uri.getScheme().equals("http") && loopback)) {
            throw new IllegalArgumentException("must be https (plain http is allowed only on loopback)");
        }
        if (uri.getRawQuery() != null || (uri.getPath() != null && !uri.getPath().isEmpty())) {
            throw new IllegalArgumentException("give the host only, e.g. https://api.persistiq.com");
        }
        return uri;
    }

    static String checkCron(String value) {
        try {
            new org.quartz.CronExpression(value);
            return value;
        } catch (java.text.ParseException e) {
            throw new IllegalArgumentException("not a Quartz cron expression (" + e.getMessage() + ")");
        }
    }

    /** Opens the cache these settings name (see {@link CacheStore#open}): the one way every command and the runtime do. */
    public CacheStore openCache() throws SQLException {
        return CacheStore.open(cacheUrl, cacheUser, cachePassword, cacheSchema, cacheDriverOptions());
    }

    /** Settings handed to the database driver: DuckDB's memory limit and checkpoint threshold (other databases: none). */
    private Properties cacheDriverOptions() {
        Properties options = new Properties();
        if (cacheUrl.startsWith("jdbc:duckdb:")) {
            if (!duckDbMemoryLimit.isEmpty()) options.setProperty("memory_limit", duckDbMemoryLimit);
            if (!duckDbCheckpointThreshold.isEmpty()) options.setProperty("checkpoint_threshold", duckDbCheckpointThreshold);
        }
        return options;
    }

    public boolean hasApiKey() {
        return apiKey != null && !apiKey.isBlank();
    }

    /** Reads one key at a time so that every failure names its key. */
    private record Reader(PropertiesComponent properties) {
        String text(String key) {
            return properties.resolveProperty(key).map(String::trim).orElse("");
        }

        <T> T get(String key, Function<String, T> parse) {
            String value = text(key);
            if (value.isEmpty()) throw new ConfigurationException(key, "is required");
            try {
                return parse.apply(value);
            } catch (ConfigurationException e) {
                throw e;
            } catch (IllegalArgumentException | DateTimeParseException e) {
                throw new ConfigurationException(key, "'" + value + "' " + e.getMessage());
            }
        }

        int wholeNumber(String key) {
            return atLeast(key, 0, "must be 0 or more");
        }

        int positiveInt(String key) {
            return atLeast(key, 1, "must be greater than 0");
        }

        private int atLeast(String key, int min, String rule) {
            return get(key, v -> {
                int n;
                try {
                    n = Integer.parseInt(v);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("is not a whole number");
                }
                if (n < min) throw new IllegalArgumentException(rule);
                return n;
            });
        }

        /** A size such as 256MB or 1GiB; empty leaves the database's own default. */
        String size(String key) {
            String value = text(key);
            if (!value.isEmpty() && !value.matches("(?i)\\d+(\\.\\d+)?\\s*(b|kb|mb|gb|tb|kib|mib|gib|tib)")) {
                throw new ConfigurationException(key, "'" + value + "' is not a size such as 256MB or 1GB");
            }
            return value;
        }

        Duration millis(String key) {
            return Duration.ofMillis(positiveInt(key));
        }
    }

    /** A setting with a bad or missing value. */
    public static class ConfigurationException extends RuntimeException {
        public ConfigurationException(String key, String problem) {
            super("configuration: " + key + " " + problem);
        }
    }
}
