package io.persistiqsync.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.persistiqsync.ChildJvm;
import io.persistiqsync.SyncTestSupport;
import io.persistiqsync.simulator.SimulatorSettings;
import io.persistiqsync.sync.SyncReport;

/**
 * A DuckDB cache that cannot grow mid-sync (the device full). Stood in for by the file-size limit of
 * the sync's own process (prlimit --fsize, set once the sync writes), so the write fails exactly as on
 * a full disk, with the machine's disk untouched. The user gets the cause in one line; the run is
 * recorded as failed with what it committed; the next sync, with room again, completes exactly.
 */
@Tag("integration")
class DiskFullTest {
    private static final int LEADS = 6000;

    private SyncTestSupport env;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/prlimit")), "prlimit (util-linux) is not installed: skipped");
        env = new SyncTestSupport(SimulatorSettings.builder().users(1).leads(LEADS).campaigns(1));
        env.set("cache.pages-per-commit", "5");
        env.set("persistiq.max-requests-per-minute", "1200");
    }

    @AfterEach
    void stop() {
        if (env != null) env.close();
    }

    @Test
    void aFullDeviceStopsTheSyncWithItsCauseATrueRecordAndNothingLost() throws Exception {
        Path wal = Path.of(env.cacheUrl.substring("jdbc:duckdb:".length()) + ".wal");
        Path output = env.dir.resolve("sync.out");
        Process sync = ChildJvm.start(env.settings(), "INFO", output, "sync", "--streams", "leads");
        try {
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> Files.exists(wal) && Files.size(wal) > 200_000);
            long limit = Files.size(wal) + 100_000;
            Process prlimit = new ProcessBuilder("prlimit", "--pid", Long.toString(sync.pid()), "--fsize=" + limit).inheritIO().start();
            assertEquals(0, prlimit.waitFor(), "prlimit set the limit");
            assertTrue(sync.waitFor(120, TimeUnit.SECONDS), "the sync ended");
        } finally {
            sync.destroyForcibly();
        }
        String out = Files.readString(output);
        assertEquals(1, sync.exitValue(), out);
        List<String> errorLines = out.lines().filter(l -> l.startsWith("leads: leads page ")).toList();
        assertEquals(1, errorLines.size(), out);
        String line = errorLines.get(0);
        assertTrue(line.contains("no space left on the device of the cache (DuckDB file " + env.cacheUrl.substring("jdbc:duckdb:".length()) + ")"), line);
        assertTrue(line.contains("free space and run it again; the sync stopped after page "), line);
        assertTrue(!out.contains("cannot rollback"), "a failed rollback never hides the cause: " + out);

        List<Map<String, Object>> runs = env.rows("SELECT status, records_new, error FROM _sync_runs WHERE stream = 'leads'");
        assertEquals(1, runs.size(), runs::toString);
        assertEquals("failed", runs.get(0).get("status"), "recorded as failed, not left running");
        long stored = env.count("SELECT count(*) FROM leads");
        assertTrue(stored > 0 && stored < LEADS, "some pages were committed before the device filled: " + stored);
        assertEquals(stored, ((Number) runs.get(0).get("records_new")).longValue(), "the run records what it committed, no more");
        int committedPage = Integer.parseInt(line.replaceAll(".*the sync stopped after page (\\d+) was committed.*", "$1"));
        assertEquals(stored, committedPage * 100L, "the page named is the last committed one (100 leads a page)");

        // room again: the next sync resumes after that page and ends with every lead once
        SyncReport next = env.sync("leads");
        assertEquals("succeeded", next.result("leads").status(), () -> String.valueOf(next.result("leads").error()));
        assertEquals(LEADS, env.count("SELECT count(DISTINCT id) FROM leads"));
        assertEquals(LEADS, env.count("SELECT count(*) FROM leads"));
        assertEquals("failed", env.rows("SELECT status FROM _sync_runs WHERE stream = 'leads' ORDER BY id").get(0).get("status"),
                "the failed run keeps its record");
    }
}
