package io.persistiqsync.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.persistiqsync.ChildJvm;
import io.persistiqsync.SyncTestSupport;
import io.persistiqsync.simulator.Fault;
import io.persistiqsync.simulator.SimulatorSettings;

/**
 * The key never shows: not in a log line (at DEBUG, with every fault and a refused key that the API
 * echoes back), not in an error, not in any table or file written. Real processes, real files.
 */
@Tag("integration")
class SecretLeakTest {

    @Test
    void theKeyAppearsInNoLogErrorTableOrFile() throws Exception {
        try (SyncTestSupport env = new SyncTestSupport(SimulatorSettings.builder().users(2).leads(250).campaigns(2))) {
            env.set("persistiq.response-timeout", "400").set("persistiq.max-attempts", "12");
            for (Fault f : List.of(Fault.RATE_LIMITED, Fault.SERVER_ERROR_HTML, Fault.CONNECTION_RESET, Fault.MALFORMED_JSON,
                    Fault.TRUNCATED_JSON, Fault.FOREIGN_NEXT_PAGE, Fault.slow(Duration.ofSeconds(1)))) {
                env.simulator.faults().inject("", f, 1);
            }
            Path goodLog = env.dir.resolve("good.log");
            assertEquals(0, run(env.settings(), goodLog, "sync", "--streams", "users,leads,campaigns"), Files.readString(goodLog));

            // a wrong key: the API's 401 message quotes it ("Failed to find api key: <key>.")
            String wrongKey = "wrong-9d8e7f6a5b";
            env.set("persistiq.api-key", wrongKey);
            Path refusedLog = env.dir.resolve("refused.log");
            assertEquals(1, run(env.settings(), refusedLog, "sync", "--streams", "users,leads"));
            Path checkLog = env.dir.resolve("check.log");
            assertEquals(1, run(env.settings(), checkLog, "check"));
            assertTrue(Files.readString(refusedLog).contains("refused the key"), Files.readString(refusedLog));

            for (String key : List.of(SyncTestSupport.KEY, wrongKey)) {
                for (Path log : List.of(goodLog, refusedLog, checkLog)) {
                    assertFalse(Files.readString(log).contains(key), key + " in " + log);
                }
                try (Stream<Path> files = Files.walk(env.dir)) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        assertFalse(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(key), key + " in file " + f);
                    }
                }
                for (String table : List.of("users", "leads", "campaigns", "_sync_runs", "_rejected", "_stream_state", "_fields")) {
                    for (Map<String, Object> row : env.rows("SELECT * FROM " + table)) {
                        assertFalse(row.toString().contains(key), key + " in table " + table);
                    }
                }
            }
            assertTrue(env.count("SELECT count(*) FROM _sync_runs WHERE error LIKE '%refused the key%'") > 0, "the refusal is recorded");
        }
    }

    private static int run(Map<String, String> settings, Path log, String... args) throws Exception {
        Map<String, String> debug = new java.util.HashMap<>(settings);
        Process p = ChildJvm.start(debug, log, args);
        assertTrue(p.waitFor(90, TimeUnit.SECONDS));
        return p.exitValue();
    }
}
