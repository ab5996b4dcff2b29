package io.persistiqsync.config;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
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

import io.persistiqsync.api.Secrets;
import io.persistiqsync.cache.CacheStore;
import io.persistiqsync.cache.CacheTarget;
import io.persistiqsync.cache.DuckDbDialect;

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
        String cacheDriversDir,
        String cachePrivateKeyFile,
        String cachePrivateKeyPassphrase,
        String cacheMotherDuckToken,
        String bigQueryCredentialsFile,
        String bigQueryHost,
        String bigQueryWorkingFile,
        int pagesPerCommit,
        Duration cacheLockWait,
        int cacheMaxAttempts,
        Duration cacheRetryInitialDelay,
        Duration cacheRetryMaxDelay,
        String duckDbMemoryLimit,
        String duckDbCheckpointThreshold,
        String cron,
        Duration watermarkOverlap,
        Duration fullPassInterval,
        int deleteCheckMax,
        int shutdownTimeoutSeconds) {

    /** The families of keys this product defines (Camel checks its own camel.* keys). */
    private static final List<String> OUR_PREFIXES = List.of("persistiq.", "cache.", "sync.", "shutdown.", "jmx.");

    /** The one account of a runtime whose persistiq.accounts is empty: today's single-account settings. */
    public static final String DEFAULT_ACCOUNT = "default";
    /** persistiq.account.NAME.SETTING: one account's value of SETTING (persistiq.SETTING, cache.*, sync.*) */
    static final String ACCOUNT_PREFIX = "persistiq.account.";
    /**
     * Settings of the whole runtime, which no account overrides: one HTTP client (timeouts), one set of
     * retry policies, one schedule switch, one pool, one progress output. Every other persistiq.*,
     * cache.* and sync.* setting is per account.
     */
    static final Set<String> RUNTIME_WIDE = Set.of("persistiq.accounts", "persistiq.max-attempts", "persistiq.retry-initial-delay",
            "persistiq.retry-max-delay", "persistiq.connect-timeout", "persistiq.response-timeout", "cache.drivers-dir", "cache.max-attempts",
            "cache.retry-initial-delay", "cache.retry-max-delay", "sync.schedule-enabled", "sync.progress-interval",
            "sync.max-parallel-accounts");

    /** Whether this runtime runs the Quartz schedule (`run`), rather than one-shot commands or an embedded sync. */
    public static boolean scheduleEnabled(PropertiesComponent properties) {
        return properties.resolveProperty("sync.schedule-enabled").map(Boolean::parseBoolean).orElse(false);
    }

    /** The settings of the first configured account (the only one, `default`, without persistiq.accounts). */
    public static SyncSettings from(PropertiesComponent properties) {
        return from(properties, accounts(properties).get(0));
    }

    /**
     * Every account's settings, in persistiq.accounts' order: each one's persistiq.account.NAME.* over
     * the global keys. Two accounts may not share a cache target (the same tables would hold both).
     */
    public static java.util.Map<String, SyncSettings> forAccounts(PropertiesComponent properties) {
        java.util.Map<String, SyncSettings> all = new java.util.LinkedHashMap<>();
        java.util.Map<String, String> targets = new java.util.HashMap<>();
        for (String account : accounts(properties)) {
            SyncSettings settings = from(properties, account);
            String target = settings.cacheUrl() + "|" + settings.cacheSchema();
            String other = targets.putIfAbsent(target, account);
            if (other != null) {
                throw new ConfigurationException(accountKey(account, "cache.url"), "is the cache of account " + other
                        + " too: give each account its own DuckDB file or its own cache.schema");
            }
            all.put(account, settings);
        }
        return all;
    }

    /** The accounts persistiq.accounts lists (lower-case names, as their environment variables map back), or `default`. */
    public static List<String> accounts(PropertiesComponent properties) {
        String value = properties.resolveProperty("persistiq.accounts").map(String::trim).orElse("");
        if (value.isEmpty()) return List.of(DEFAULT_ACCOUNT);
        List<String> names = Arrays.stream(value.split(",")).map(String::trim).filter(n -> !n.isEmpty()).toList();
        for (String name : names) {
            if (!name.matches("[a-z][a-z0-9_]*")) {
                throw new ConfigurationException("persistiq.accounts", "'" + name + "' is not an account name (lower-case letters, digits, _)");
            }
        }
        if (new TreeSet<>(names).size() != names.size()) throw new ConfigurationException("persistiq.accounts", "names an account twice");
        return names;
    }

    /** The key of an account's own value of a setting: persistiq.api-key -> persistiq.account.NAME.api-key, cache.url -> persistiq.account.NAME.cache.url. */
    public static String accountKey(String account, String key) {
        return ACCOUNT_PREFIX + account + "." + (key.startsWith("persistiq.") ? key.substring("persistiq.".length()) : key);
    }

    static boolean perAccount(String key) {
        return (key.startsWith("persistiq.") || key.startsWith("cache.") || key.startsWith("sync.")) && !RUNTIME_WIDE.contains(key)
                && !key.startsWith(ACCOUNT_PREFIX);
    }

    /** One account's settings: its persistiq.account.NAME.* keys over the global ones. */
    public static SyncSettings from(PropertiesComponent properties, String account) {
        rejectUnknownKeys(properties);
        Reader r = new Reader(properties, account);
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
                    if (!v.startsWith("jdbc:") && !v.startsWith("bigquery://")) {
                        throw new IllegalArgumentException("a JDBC URL (jdbc:...) or bigquery://PROJECT/DATASET is expected");
                    }
                    return v;
                }),
                r.text("cache.user"),
                r.text("cache.password"),
                r.text("cache.schema"),
                r.text("cache.drivers-dir"),
                r.text("cache.private-key-file"),
                r.text("cache.private-key-passphrase"),
                r.text("cache.motherduck-token"),
                r.text("cache.bigquery.credentials-file"),
                r.text("cache.bigquery.host"),
                r.text("cache.bigquery.working-file"),
                r.positiveInt("cache.pages-per-commit"),
                r.get("cache.lock-wait", Duration::parse),
                r.positiveInt("cache.max-attempts"),
                r.millis("cache.retry-initial-delay"),
                r.millis("cache.retry-max-delay"),
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
        // the system properties Camel reads (an embedded runtime reads none: see SyncRuntime.startEmbedded)
        System.getProperties().stringPropertyNames().stream().filter(SyncSettings::ours).filter(k -> properties.resolveProperty(k).isPresent())
                .forEach(configured::add);
        List<String> accounts = accounts(properties);
        for (String key : configured) {
            if (key.startsWith(ACCOUNT_PREFIX)) {
                String rest = key.substring(ACCOUNT_PREFIX.length());
                int dot = rest.indexOf('.');
                String account = dot < 0 ? rest : rest.substring(0, dot);
                String setting = dot < 0 ? "" : rest.substring(dot + 1);
                if (!accounts.contains(account)) {
                    throw new ConfigurationException(key, "is for account '" + account + "', which persistiq.accounts does not list");
                }
                String global = setting.startsWith("cache.") || setting.startsWith("sync.") ? setting : "persistiq." + setting;
                if (!known.containsKey(global) || !perAccount(global)) {
                    throw new ConfigurationException(key, "is not a per-account setting (README, Running several accounts)");
                }
            } else if (!known.containsKey(key)) {
                throw new ConfigurationException(key, "is not a known setting (application.properties lists them all)");
            }
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
        return CacheStore.open(cacheTarget());
    }

    /**
     * The cache these settings name, with what its driver is handed: credentials (user and password,
     * Snowflake's private key and its passphrase, the MotherDuck token), DuckDB's memory limit and
     * checkpoint threshold, BigQuery's settings. Secrets travel only here, never in a message.
     */
    public CacheTarget cacheTarget() {
        Properties options = new Properties();
        put(options, "user", cacheUser);
        put(options, "password", cachePassword);
        if (cacheUrl.startsWith("jdbc:duckdb:")) {
            put(options, "memory_limit", duckDbMemoryLimit);
            put(options, "checkpoint_threshold", duckDbCheckpointThreshold);
            // DuckDB reads MOTHERDUCK_TOKEN from the environment itself; the setting is the other way
            if (cacheUrl.startsWith("jdbc:duckdb:md:")) put(options, DuckDbDialect.MOTHERDUCK_TOKEN, cacheMotherDuckToken);
        }
        if (cacheUrl.startsWith("jdbc:snowflake:")) {
            put(options, "private_key_file", cachePrivateKeyFile);
            put(options, "private_key_file_pwd", cachePrivateKeyPassphrase);
        }
        if (cacheUrl.startsWith("bigquery://")) {
            put(options, "bigquery.credentials-file", bigQueryCredentialsFile);
            put(options, "bigquery.host", bigQueryHost);
            put(options, "bigquery.working-file", bigQueryWorkingFile);
            // the working file is a DuckDB cache in every other respect
            put(options, "memory_limit", duckDbMemoryLimit);
            put(options, "checkpoint_threshold", duckDbCheckpointThreshold);
        }
        return new CacheTarget(cacheUrl, cacheSchema, Path.of(cacheDriversDir.isEmpty() ? "drivers" : cacheDriversDir), options);
    }

    private static void put(Properties options, String key, String value) {
        if (value != null && !value.isEmpty()) options.setProperty(key, value);
    }

    /** Every secret these settings hold, to be kept out of every message (MOTHERDUCK_TOKEN too: DuckDB reads it). */
    public Secrets secrets() {
        return new Secrets(secretValues().toArray(String[]::new));
    }

    /** The secrets themselves, for a runtime's Secrets of every account. */
    public List<String> secretValues() {
        return java.util.stream.Stream.of(apiKey, cachePassword, cachePrivateKeyPassphrase, cacheMotherDuckToken, System.getenv("MOTHERDUCK_TOKEN"))
                .filter(java.util.Objects::nonNull).toList();
    }

    public boolean hasApiKey() {
        return apiKey != null && !apiKey.isBlank();
    }

    /** Reads one key at a time so that every failure names its key. */
    private record Reader(PropertiesComponent properties, String account) {
        /** The account's own value where it has one (a failure names that key), else the global one. */
        String text(String key) {
            return properties.resolveProperty(key(key)).map(String::trim).orElse("");
        }

        private String key(String key) {
            if (account == null || !perAccount(key)) return key;
            String own = accountKey(account, key);
            return properties.resolveProperty(own).isPresent() ? own : key;
        }

        <T> T get(String key, Function<String, T> parse) {
            String value = text(key);
            if (value.isEmpty()) throw new ConfigurationException(key(key), "is required");
            try {
                return parse.apply(value);
            } catch (ConfigurationException e) {
                throw e;
            } catch (IllegalArgumentException | DateTimeParseException e) {
                throw new ConfigurationException(key(key), "'" + value + "' " + e.getMessage());
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
                throw new ConfigurationException(key(key), "'" + value + "' is not a size such as 256MB or 1GB");
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
