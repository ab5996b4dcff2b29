package io.persistiqsync.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.persistiqsync.SyncTestSupport;
import io.persistiqsync.SyncTestSupport.Result;
import io.persistiqsync.simulator.Fault;
import io.persistiqsync.simulator.SimulatorSettings;

/** `status`: the last runs per stream from _sync_runs, and an exit code cron and monitoring can use. */
class StatusCommandTest {

    @Test
    void statusShowsTheLastRunsAndFailsWhenTheLastRunOfAStreamFailed() throws Exception {
        try (SyncTestSupport env = new SyncTestSupport(SimulatorSettings.builder().users(2).leads(150).campaigns(1))) {
            env.set("persistiq.streams", "users,leads");
            Result fresh = env.cli("status");
            assertEquals(0, fresh.exitCode(), fresh::toString);
            assertTrue(fresh.out().matches("(?s).*\\nusers +- +never\\n.*"), fresh.out());

            assertTrue(env.sync("users", "leads").succeeded());
            Result ok = env.cli("status");
            assertEquals(0, ok.exitCode(), ok::toString);
            assertTrue(ok.out().matches("(?s).*\\nleads +\\d+ +succeeded +full pass .* 150 .*"), ok.out());

            env.simulator.faults().inject("/v1/users", Fault.UNAUTHORIZED, 1);
            env.sync("users");
            Result failed = env.cli("status");
            assertEquals(1, failed.exitCode(), "the last run of users failed: " + failed);
            assertTrue(failed.out().matches("(?s).*\\nusers +\\d+ +failed .*"), failed.out());
            assertTrue(failed.out().contains("users run ") && failed.out().contains("401"), "the reason: " + failed.out());
            assertTrue(!failed.out().contains(SyncTestSupport.KEY), failed.out());

            assertEquals(0, env.cli("status", "--streams", "leads").exitCode(), "leads alone is fine");

            Result json = env.cli("status", "--json", "--runs", "2");
            assertEquals(1, json.exitCode());
            JsonNode streams = new ObjectMapper().readTree(json.out());
            assertEquals("users", streams.get(0).get("stream").asText());
            assertEquals("failed", streams.get(0).get("last_status").asText());
            assertEquals(2, streams.get(0).get("runs").size(), "the last two runs, newest first");
            assertEquals("succeeded", streams.get(0).get("runs").get(1).get("status").asText());
            assertEquals("succeeded", streams.get(1).get("last_status").asText());
            assertEquals(150, streams.get(1).get("runs").get(0).get("records_new").asLong());
            assertTrue(streams.get(1).get("runs").get(0).get("seconds").asDouble() >= 0);

            assertTrue(env.sync("users").succeeded());
            assertEquals(0, env.cli("status").exitCode(), "a good run clears it");
            assertEquals(2, env.cli("status", "--runs", "0").exitCode(), "usage error");
        }
    }
}
