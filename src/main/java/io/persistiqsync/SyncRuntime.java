package io.persistiqsync;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;

import io.persistiqsync.sync.SyncReport;
import io.persistiqsync.sync.SyncRequest;

/**
 * The product's Camel Main: application.properties (the packaged copy, then one in the working
 * directory), environment variables and -D properties over them, the routes from routes/ (or the
 * jar's copy when there is no such folder) and the beans of {@link SyncConfiguration}.
 */
public final class SyncRuntime implements AutoCloseable {
    private final Main main;

    private SyncRuntime(Main main) {
        this.main = main;
    }

    static Main createMain(Map<String, String> overrides) {
        Main main = new Main();
        main.configure().addConfiguration(SyncConfiguration.class);
        main.setPropertyPlaceholderLocations("classpath:application.properties;optional=true,file:application.properties;optional=true");
        if (!Files.isDirectory(Path.of("routes"))) {
            main.addOverrideProperty("camel.main.routes-include-pattern", "classpath:routes/*.camel.yaml");
        }
        overrides.forEach(main::addOverrideProperty);
        return main;
    }

    /** Starts Camel without the schedule: for one-shot commands and tests. */
    public static SyncRuntime start(Map<String, String> overrides) throws Exception {
        Main main = createMain(overrides);
        main.start();
        return new SyncRuntime(main);
    }

    /** Runs with the Quartz schedule on until the process is told to stop (SIGTERM, Ctrl-C). */
    public static void runScheduled(Map<String, String> overrides) throws Exception {
        Map<String, String> scheduled = new java.util.HashMap<>(overrides);
        scheduled.put("sync.schedule-enabled", "true");
        createMain(scheduled).run();
    }

    /**
     * The settings as every command reads them (application.properties, environment, -D), for commands
     * that only read the cache: from a runtime started without routes (so nothing syncs) and without
     * remote JMX (a running `run` may hold its port).
     */
    public static SyncSettings readSettings() throws Exception {
        try (SyncRuntime runtime = start(Map.of("camel.main.routes-include-pattern", NO_ROUTES, "jmx.remote.enabled", "false"))) {
            return runtime.settings();
        }
    }

    /** a route pattern that matches nothing */
    private static final String NO_ROUTES = "classpath:io/persistiqsync/no-routes/*.camel.yaml";

    public CamelContext context() {
        return main.getCamelContext();
    }

    public ProducerTemplate template() {
        return context().createProducerTemplate();
    }

    public SyncSettings settings() {
        return context().getRegistry().lookupByNameAndType("syncSettings", SyncSettings.class);
    }

    /** One sync, as the routes run it. */
    public SyncReport sync(SyncRequest request) {
        try (ProducerTemplate template = template()) {
            return template.requestBody("direct:sync-all", request, SyncReport.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        main.stop();
    }
}
