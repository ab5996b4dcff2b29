package io.persistiqsync.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.OffsetDateTime;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.quartz.CronExpression;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.persistiqsync.api.ApiAccount;
import io.persistiqsync.api.ApiAccounts;
import io.persistiqsync.api.RecordReader;
import io.persistiqsync.api.StreamCatalog;
import io.persistiqsync.cache.CacheUrls;
import io.persistiqsync.config.SyncSettings;
import io.persistiqsync.routes.RouteNames;
import io.persistiqsync.sync.SyncReport;
import io.persistiqsync.sync.SyncRequest;
import io.persistiqsync.sync.SyncSessions;

/**
 * The product's Camel Main: application.properties (the packaged copy, then one in the working
 * directory), environment variables and -D properties over them, the routes from routes/ (or the
 * jar's copy when there is no such folder) and the beans of {@link SyncConfiguration}.
 */
public final class SyncRuntime implements AutoCloseable {
    private static final String ROUTES_PATTERN = "camel.main.routes-include-pattern";
    private final Main main;
    private ProducerTemplate readerTemplate;

    private SyncRuntime(Main main) {
        this.main = main;
    }

    static Main createMain(Map<String, String> overrides) {
        Main main = newMain("classpath:application.properties;optional=true,file:application.properties;optional=true");
        if (!Files.isDirectory(Path.of("routes"))) {
            main.addOverrideProperty(ROUTES_PATTERN, packagedRoutes());
        }
        overrides.forEach(main::addOverrideProperty);
        return main;
    }

    private static Main newMain(String propertyLocations) {
        Main main = new Main();
        main.configure().addConfiguration(SyncConfiguration.class);
        // one Quartz trigger per account, on its own cron, from the template in sync-schedule.camel.yaml
        main.addMainListener(new AccountSchedules());
        main.setPropertyPlaceholderLocations(propertyLocations);
        return main;
    }

    /**
     * Starts Camel for a program that embeds the product (io.persistiqsync.PersistIqSync, the Kamelet):
     * the jar's own settings and routes, with the caller's settings over them, and nothing else. Not the
     * working directory's application.properties or routes/ (they belong to the host application, if to
     * anyone), nor environment variables or system properties: every packaged key is handed to Camel as
     * an override (which no other source beats) with the caller's values in place of the defaults, and
     * Camel's own auto-configuration from the environment is off. No schedule, no HTTP server, as {@link #start}.
     */
    public static SyncRuntime startEmbedded(Map<String, String> settings) throws Exception {
        Main main = newMain("classpath:application.properties");
        main.configure().setAutoConfigurationEnvironmentVariablesEnabled(false);
        main.configure().setAutoConfigurationSystemPropertiesEnabled(false);
        Properties packaged = new Properties();
        try (InputStream in = SyncRuntime.class.getResourceAsStream("/application.properties")) {
            packaged.load(in);
        }
        packaged.stringPropertyNames().forEach(key -> main.addOverrideProperty(key, packaged.getProperty(key)));
        // an empty override (persistiq.api-key =) is no value to Camel: the environment's would show through
        main.addOverrideProperty("camel.component.properties.environment-variable-mode", "0");
        main.addOverrideProperty("camel.component.properties.system-properties-mode", "0");
        main.addOverrideProperty(ROUTES_PATTERN, packagedRoutes());
        main.addOverrideProperty("camel.management.enabled", "false");
        settings.forEach(main::addOverrideProperty);
        main.start();
        return new SyncRuntime(main);
    }

    /**
     * Starts Camel without the schedule: for one-shot commands and tests. Nor does it serve HTTP health
     * and metrics (camel.management.*): probes watch the long-running `run`, and a `sync` beside it must
     * not fail on its port. A caller that asks for the server explicitly (a test) gets it.
     */
    public static SyncRuntime start(Map<String, String> overrides) throws Exception {
        Map<String, String> oneShot = new java.util.HashMap<>(overrides);
        oneShot.putIfAbsent("camel.management.enabled", "false");
        Main main = createMain(oneShot);
        main.start();
        return new SyncRuntime(main);
    }

    /** Runs with the Quartz schedule on until the process is told to stop (SIGTERM, Ctrl-C). */
    public static void runScheduled(Map<String, String> overrides) throws Exception {
        Map<String, String> scheduled = new java.util.HashMap<>(overrides);
        scheduled.put("sync.schedule-enabled", "true");
        Main main = createMain(scheduled);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport started) {
                sayRunning(started.getCamelContext());
            }
        });
        main.run();
    }

    /**
     * One line when `run` is up, so an operator reading its log knows what it will do and when: the
     * streams, the schedule and its next fire, the cache (without credentials).
     */
    private static void sayRunning(CamelContext context) {
        SyncSettings s = context.getRegistry().findSingleByType(SyncSettings.class);
        if (s == null) return;
        String next;
        try {
            next = new CronExpression(s.cron()).getNextValidTimeAfter(new Date()).toInstant().toString();
        } catch (ParseException | RuntimeException e) {
            next = "?";
        }
        LoggerFactory.getLogger(SyncRuntime.class).info("running: syncs {} on sync.cron '{}' (next at {}) into {}; SIGTERM stops it", s.streams(),
                s.cron(), next, CacheUrls.withoutCredentials(s.cacheUrl()));
    }

    /**
     * The settings as every command reads them (application.properties, environment, -D), for commands
     * that only read the cache: from a runtime started without routes (so nothing syncs) and without
     * remote JMX (a running `run` may hold its port).
     */
    public static SyncSettings readSettings() throws Exception {
        return readSettings(null);
    }

    /** One account's settings (null: the first configured), as {@link #readSettings()}; an unknown name fails with one line. */
    public static SyncSettings readSettings(String account) throws Exception {
        return readAccounts(account == null ? null : List.of(account)).values().iterator().next();
    }

    /** The named accounts' settings (null: every account's), as {@link #readSettings()}. */
    public static Map<String, SyncSettings> readAccounts(List<String> accounts) throws Exception {
        try (SyncRuntime runtime = start(Map.of("camel.main.routes-collector-enabled", "false", "jmx.remote.enabled", "false"))) {
            Map<String, SyncSettings> all = new java.util.LinkedHashMap<>();
            for (String account : accounts == null ? runtime.accounts() : accounts) all.put(account, runtime.settings(account));
            return all;
        }
    }

    /**
     * The jar's route files, named one by one: Camel resolves a classpath wildcard by reading every
     * entry of the jar (~100 MB with DuckDB's native libraries), which cost 4 s of every start.
     * Listing the folder through the jar's file system reads only its directory.
     */
    static String packagedRoutes() {
        try {
            URI folder = SyncRuntime.class.getResource("/routes").toURI();
            if (!folder.getScheme().equals("jar")) return routesIn(Path.of(folder));
            String inJar = folder.getRawSchemeSpecificPart();
            try (FileSystem jar = FileSystems.newFileSystem(Path.of(URI.create(inJar.substring(0, inJar.indexOf("!/")))))) {
                return routesIn(jar.getPath("/routes"));
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("cannot list the packaged routes: " + e.getMessage(), e);
        }
    }

    private static String routesIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".camel.yaml")).sorted()
                    .map(n -> "classpath:routes/" + n).collect(Collectors.joining(","));
        }
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public ProducerTemplate template() {
        return context().createProducerTemplate();
    }

    public SyncSettings settings() {
        return context().getRegistry().lookupByNameAndType("syncSettings", SyncSettings.class);
    }

    /** The accounts this runtime syncs, in persistiq.accounts' order (`default` alone without it). */
    public List<String> accounts() {
        return context().getRegistry().lookupByNameAndType(RouteNames.SYNC_SESSIONS, SyncSessions.class).names();
    }

    /** One account's settings; an unknown name fails with one line naming the known ones. */
    public SyncSettings settings(String account) {
        if (account == null) return settings();
        return context().getRegistry().lookupByNameAndType(RouteNames.SYNC_SESSIONS, SyncSessions.class).get(account).settings();
    }

    /**
     * One sync of each named account (its configured streams), side by side in the bounded pool
     * (sync.max-parallel-accounts), as the schedule runs them; answers each account's report.
     */
    public Map<String, SyncReport> syncAccounts(List<String> accounts) {
        return syncAccounts(accounts, null);
    }

    /** As {@link #syncAccounts(List)}, each account syncing the request's streams (null: its own configured ones). */
    public Map<String, SyncReport> syncAccounts(List<String> accounts, SyncRequest request) {
        accounts.forEach(this::settings); // an unknown name fails before anything syncs
        Map<String, java.util.concurrent.CompletableFuture<SyncReport>> running = new java.util.LinkedHashMap<>();
        try (ProducerTemplate template = template()) {
            for (String account : accounts) {
                running.put(account, template.asyncRequestBodyAndHeader(RouteNames.SYNC_ACCOUNTS + "?timeout=0", request, RouteNames.ACCOUNT, account,
                        SyncReport.class));
            }
            Map<String, SyncReport> reports = new java.util.LinkedHashMap<>();
            for (var r : running.entrySet()) reports.put(r.getKey(), r.getValue().join());
            return reports;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One sync of one account, as the routes run it. */
    public SyncReport sync(String account, SyncRequest request) {
        settings(account);
        try (ProducerTemplate template = template()) {
            return template.requestBodyAndHeader(RouteNames.SYNC_ALL, request, RouteNames.ACCOUNT, account, SyncReport.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One sync, as the routes run it. */
    public SyncReport sync(SyncRequest request) {
        try (ProducerTemplate template = template()) {
            return template.requestBody(RouteNames.SYNC_ALL, request, SyncReport.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Asks the API for the first page of users: null when the key and the connection work, else why not, in one line. */
    public String check() {
        return check(null);
    }

    /** As {@link #check()}, for one account (null: the first configured) with its own key and host. */
    public String check(String account) {
        SyncSettings settings = settings(account);
        try {
            ApiAccount api = context().getRegistry().lookupByNameAndType(RouteNames.API_ACCOUNTS, ApiAccounts.class).get(account);
            new RecordReader(readerTemplate(), settings.maxPages(), api).records(StreamCatalog.select(List.of("users")).get(0), null).hasNext();
            return null;
        } catch (RuntimeException e) {
            return Reasons.of(e, settings.baseUrl());
        }
    }

    /**
     * A stream's records straight from the API, page by page as the iterator is read (see {@link RecordReader}).
     *
     * @param since only records updated (leads) or sent (events, replies) after this time; null for all
     */
    public Iterator<JsonNode> records(String stream, OffsetDateTime since) {
        return new RecordReader(readerTemplate(), settings().maxPages()).records(StreamCatalog.select(List.of(stream)).get(0), since);
    }

    /** One template for every read (templates are thread-safe; Camel stops it with the context). */
    private synchronized ProducerTemplate readerTemplate() {
        if (readerTemplate == null) readerTemplate = context().createProducerTemplate();
        return readerTemplate;
    }

    @Override
    public void close() throws Exception {
        main.stop();
    }
}
