package io.persistiqsync.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import picocli.CommandLine;

/**
 * The settings each command reads, listed at the end of its --help with the environment variable that
 * overrides each one and its default (from the application.properties packaged in the jar). Options
 * with a fixed default show it themselves (picocli's showDefaultValues); an option whose default is a
 * setting names that setting, listed here.
 */
final class SettingsHelp {
    private static final List<String> API = List.of("persistiq.api-key", "persistiq.base-url", "persistiq.connect-timeout",
            "persistiq.response-timeout");
    private static final List<String> SYNC = List.of("persistiq.streams", "persistiq.max-requests-per-minute", "persistiq.page-concurrency",
            "persistiq.max-attempts", "cache.url", "cache.user", "cache.password", "cache.schema", "sync.full-pass-interval",
            "sync.watermark-overlap", "sync.progress-interval", "jmx.remote.enabled");
    /** every command may work on one of several accounts (--account; persistiq.account.NAME.* over these) */
    private static final List<String> ACCOUNTS = List.of("persistiq.accounts");
    private static final Map<String, List<String>> BY_COMMAND = new LinkedHashMap<>();

    static {
        BY_COMMAND.put("check", concat(ACCOUNTS, API));
        BY_COMMAND.put("streams", concat(ACCOUNTS, List.of("cache.url", "cache.user", "cache.password", "cache.schema")));
        BY_COMMAND.put("sync", concat(ACCOUNTS, API, SYNC, List.of("sync.max-parallel-accounts")));
        BY_COMMAND.put("run", concat(ACCOUNTS, API, SYNC, List.of("sync.max-parallel-accounts", "sync.cron", "shutdown.timeout",
                "camel.management.enabled", "camel.management.port")));
        BY_COMMAND.put("export", concat(ACCOUNTS, List.of("cache.url", "cache.user", "cache.password", "cache.schema", "cache.duckdb.memory-limit")));
        BY_COMMAND.put("status", concat(ACCOUNTS, List.of("persistiq.streams", "cache.url", "cache.user", "cache.password", "cache.schema")));
    }

    private SettingsHelp() {
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> l : lists) all.addAll(l);
        return List.copyOf(all);
    }

    /** Camel's own mapping (environment variable mode OVERRIDE): persistiq.api-key is PERSISTIQ_API_KEY. */
    static String environmentVariable(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** Adds the settings section to the help of every command that reads settings. */
    static void addTo(CommandLine root) {
        Properties defaults = packagedDefaults();
        root.getCommandSpec().usageMessage().footerHeading("%nSettings:%n").footer(
                "  Every setting is read from application.properties (the working directory's over the jar's), overridden by its",
                "  environment variable (persistiq.api-key: PERSISTIQ_API_KEY) or by -Dkey=value. Each command's --help lists those it reads.");
        for (Map.Entry<String, List<String>> e : BY_COMMAND.entrySet()) {
            CommandLine command = root.getSubcommands().get(e.getKey());
            List<String> rows = new ArrayList<>();
            for (String key : e.getValue()) { // two rows each: the help is 80 columns wide, and picocli would wrap one
                String value = defaults.getProperty(key, "").trim();
                rows.add(("  " + key + "  " + environmentVariable(key)).replace("%", "%%"));
                rows.add(("      default: " + (value.isEmpty() ? "(none)" : value)).replace("%", "%%"));
            }
            command.getCommandSpec().usageMessage()
                    .footerHeading("%nSettings it reads (application.properties key, environment variable):%n")
                    .footer(rows.toArray(String[]::new));
        }
    }

    private static Properties packagedDefaults() {
        Properties p = new Properties();
        try (InputStream in = SettingsHelp.class.getResourceAsStream("/application.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
