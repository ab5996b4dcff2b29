package io.persistiqsync.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.persistiqsync.SyncTestSupport;
import io.persistiqsync.simulator.SimulatorSettings;

/**
 * MotherDuck is DuckDB's path with a token. These machines are offline, so DuckDB cannot download its
 * motherduck extension: what is tested is what the user sees then (one line that says so), and that
 * the token, a secret, never shows.
 */
class MotherDuckTest {
    private static final String TOKEN = "md-token-5c2e9a71";

    private SyncTestSupport env;

    @BeforeEach
    void start() throws Exception {
        env = new SyncTestSupport(SimulatorSettings.builder().users(1).leads(5).campaigns(1));
        env.set("cache.url", "jdbc:duckdb:md:piq_test");
    }

    @AfterEach
    void stop() {
        env.close();
    }

    @Test
    void offlineTheUserIsToldInOneLineAndTheTokenNeverShows() {
        env.set("cache.motherduck-token", TOKEN);

        SyncTestSupport.Result result = env.cli("sync", "--streams", "users");

        assertEquals(1, result.exitCode(), result.err());
        String err = result.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains("MotherDuck cannot be reached: DuckDB could not download its motherduck extension"), err);
        assertFalse((result.out() + result.err()).contains(TOKEN), "the token is a secret");
    }

    @Test
    void aTokenInTheUrlIsNotShownEither() {
        env.set("cache.url", "jdbc:duckdb:md:piq_test?motherduck_token=" + TOKEN);

        SyncTestSupport.Result result = env.cli("sync", "--streams", "users");

        assertEquals(1, result.exitCode(), result.err());
        assertTrue(result.err().contains("motherduck_token=***"), result.err());
        assertFalse((result.out() + result.err()).contains(TOKEN), "the token is a secret");
    }

    @Test
    void withoutATokenTheUserIsToldWhereToPutOne() {
        // (a MOTHERDUCK_TOKEN in the environment of the build would make this test meaningless)
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("MOTHERDUCK_TOKEN") == null, "MOTHERDUCK_TOKEN is set in this environment");

        SyncTestSupport.Result result = env.cli("sync", "--streams", "users");

        assertEquals(1, result.exitCode(), result.err());
        assertTrue(result.err().strip().endsWith("MotherDuck needs a token: set MOTHERDUCK_TOKEN or cache.motherduck-token"), result.err());
    }
}
