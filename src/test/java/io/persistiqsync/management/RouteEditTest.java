package io.persistiqsync.management;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.persistiqsync.Application;
import io.persistiqsync.runtime.SyncRuntime;
import io.persistiqsync.SyncTestSupport;
import io.persistiqsync.api.StreamCatalog;
import io.persistiqsync.simulator.SimulatorSettings;
import io.persistiqsync.sync.SyncRequest;

/** An operator edits a route in routes/ and it takes effect: without a rebuild, and with reloading on, without a restart. */
@Tag("integration")
class RouteEditTest {
    static final int LEADS = 230;

    @Test
    void aRouteEditedInTheWorkingDirectoryTakesEffectWithoutARebuild() throws Exception {
        try (SyncTestSupport env = new SyncTestSupport(SimulatorSettings.builder().users(2).leads(LEADS).campaigns(1))) {
            Path workDir = env.dir.resolve("operator");
            LeadsExportEdit.apply(LeadsExportEdit.copyRoutes(workDir));
            assertTrue(new RouteSchema().problems("sync-stream.camel.yaml", Files.readString(workDir.resolve("routes/sync-stream.camel.yaml")))
                    .isEmpty(), "the README's edit passes Camel's schema");

            // the built product (class path, no rebuild) started in a folder with the edited routes/
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
            env.settings().forEach((k, v) -> command.add("-D" + k + "=" + v));
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), Application.class.getName(), "sync", "--streams", "leads"));
            Path log = env.dir.resolve("child.log");
            Process child = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertTrue(child.waitFor(90, TimeUnit.SECONDS), "the sync ends");
            assertEquals(0, child.exitValue(), () -> read(log));

            Path export = workDir.resolve("exports/leads.ndjson");
            assertTrue(Files.exists(export), () -> "the edited route wrote the export: " + read(log));
            assertLeadsExported(env, export);
        }
    }

    @Test
    void withReloadingOnARunningRuntimePicksUpTheEdit() throws Exception {
        try (SyncTestSupport env = new SyncTestSupport(SimulatorSettings.builder().users(2).leads(LEADS).campaigns(1))) {
            Path routes = LeadsExportEdit.copyRoutes(env.dir);
            Path export = env.dir.resolve("exports/leads.ndjson");
            env.set("camel.main.routes-include-pattern", "file:" + routes + File.separator + "*.camel.yaml")
                    .set("camel.main.routes-reload-enabled", "true")
                    .set("camel.main.routes-reload-directory", routes.toString());
            try (SyncRuntime runtime = env.start()) {
                RouteWatcherReloadStrategy reload = runtime.context().hasService(RouteWatcherReloadStrategy.class);
                assertTrue(reload != null, "reloading is on");
                LeadsExportEdit.apply(routes, export.getParent().toString());
                await().atMost(Duration.ofSeconds(30)).until(() -> reload.getReloadCounter() >= 1 && runtime.context().getRoute("sync-stream") != null);
                assertTrue(runtime.sync(new SyncRequest(StreamCatalog.select(List.of("leads")), false, false)).succeeded());
            }
            assertTrue(Files.exists(export), "the reloaded route wrote the export");
            assertLeadsExported(env, export);
        }
    }

    private static void assertLeadsExported(SyncTestSupport env, Path export) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String> lines = Files.readAllLines(export);
        assertEquals(LEADS, lines.size(), "one line per lead read");
        HashSet<String> ids = new HashSet<>();
        for (String line : lines) ids.add(json.readTree(line).get("id").asText());
        assertEquals(new HashSet<>(env.simulator.account().liveLeadIds()), ids);
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (Exception e) {
            return e.toString();
        }
    }
}
