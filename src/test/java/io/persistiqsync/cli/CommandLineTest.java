package io.persistiqsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.persistiqsync.SyncTestSupport;
import io.persistiqsync.SyncTestSupport.Result;
import io.persistiqsync.simulator.SimulatorSettings;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The command line as users meet it: answers, exit codes and one-line errors. */
@Tag("integration")
class CommandLineTest {
    static SyncTestSupport env;

    @BeforeAll
    static void start() throws Exception {
        env = new SyncTestSupport(SimulatorSettings.builder().users(2).leads(120).campaigns(2));
    }

    @AfterAll
    static void stop() {
        env.close();
    }

    private static void assertOneLineError(Result r, String... expected) {
        String err = r.err().strip();
        assertFalse(err.contains("\n"), "one line: " + err);
        for (String e : expected) assertTrue(err.contains(e), "'" + e + "' in: " + err);
    }

    @Test
    void checkSaysOkWithAGoodKey() {
        Result r = env.cli("check");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("ok", r.out().strip());
    }

    @Test
    void checkSaysTheKeyWasRefusedWithoutShowingIt() {
        env.set("persistiq.api-key", "wrong-key-123");
        try {
            Result r = env.cli("check");
            assertEquals(1, r.exitCode());
            assertOneLineError(r, "refused the key", "HTTP 401");
            assertFalse(r.err().contains("wrong-key-123"), "the API echoes the key; we must not: " + r.err());
        } finally {
            env.set("persistiq.api-key", SyncTestSupport.KEY);
        }
    }

    @Test
    void checkSaysWhenTheHostCannotBeReached() {
        env.set("persistiq.base-url", "http://127.0.0.1:1");
        try {
            Result r = env.cli("check");
            assertEquals(1, r.exitCode());
            assertOneLineError(r, "cannot reach http://127.0.0.1:1");
        } finally {
            env.set("persistiq.base-url", env.simulator.baseUrl().toString());
        }
    }

    @Test
    void syncWithoutAKeyNamesTheVariableAndTheDemo() {
        env.set("persistiq.api-key", "");
        try {
            Result r = env.cli("sync");
            assertEquals(1, r.exitCode());
            assertOneLineError(r, "PERSISTIQ_API_KEY", "--demo");
        } finally {
            env.set("persistiq.api-key", SyncTestSupport.KEY);
        }
    }

    @Test
    void everyCommandExplainsItselfOnHelp() {
        for (String command : new String[] {"check", "streams", "sync", "run", "export", "status", "simulate", "completion"}) {
            Result r = env.cli(command, "--help");
            assertEquals(0, r.exitCode(), command + ": " + r.err());
            assertTrue(r.out().startsWith("Usage: persistiq-sync " + command), command + ": " + r.out());
        }
        assertTrue(env.cli("sync", "--help").out().contains("--streams"));
    }

    @Test
    void helpShowsEachOptionsDefaultAndTheSettingsWithTheirEnvironmentVariables() {
        String sync = env.cli("sync", "--help").out();
        assertTrue(sync.contains("Default: auto"), "--progress shows its default: " + sync);
        assertTrue(Pattern.compile("Default: the setting\\s+persistiq\\.streams").matcher(sync).find(), "--streams names its setting: " + sync);
        assertTrue(Pattern.compile("(?m)^  persistiq\\.streams  PERSISTIQ_STREAMS\\n      default: users,leads,campaigns,lead_fields,lead_statuses$").matcher(sync).find(),
                "the setting, its environment variable and its default: " + sync);
        assertTrue(Pattern.compile("(?m)^  persistiq\\.max-requests-per-minute  PERSISTIQ_MAX_REQUESTS_PER_MINUTE\\n      default: 100$").matcher(sync).find(), sync);
        assertTrue(Pattern.compile("(?m)^  persistiq\\.api-key  PERSISTIQ_API_KEY\\n      default: \\(none\\)$").matcher(sync).find(), sync);
        assertTrue(Pattern.compile("(?m)^  sync\\.cron  SYNC_CRON\\n      default: 0 0 \\* \\* \\* \\?$").matcher(env.cli("run", "--help").out()).find());
        assertTrue(env.cli("status", "--help").out().contains("Default: 1"), "--runs");
        String simulate = env.cli("simulate", "--help").out();
        assertTrue(simulate.contains("Default: " + SimulatorSettings.defaults().leads()), simulate);

        // every option of every command says what it does
        CommandLine root = PersistIqSyncCommand.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        for (CommandLine command : root.getSubcommands().values()) {
            for (OptionSpec option : command.getCommandSpec().options()) {
                assertTrue(option.description().length > 0 && !option.description()[0].isBlank(),
                        command.getCommandName() + " " + option.longestName() + " has no description");
            }
        }
    }

    @Test
    void completionPrintsPicocliScriptForEveryCommand() {
        Result r = env.cli("completion");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("complete -F _complete_persistiq-sync") || r.out().contains("complete -F"), r.out());
        for (String command : new String[] {"check", "streams", "sync", "run", "export", "status", "simulate", "completion"}) {
            assertTrue(r.out().contains(command), command + " in the script");
        }
        assertTrue(r.out().contains("--full-refresh") && r.out().contains("--latency-ms"), "options complete too");
    }

    @Test
    void theVersionIsTheBuilds() throws Exception {
        String version = new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("pom.xml")))
                .replaceFirst("(?s).*?<artifactId>persistiq-sync</artifactId>\\s*<version>([^<]+)</version>.*", "$1");
        Result r = env.cli("--version");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("persistiq-sync " + version + "\n"), r.out());
        assertTrue(r.out().contains("Apache Camel 4."), r.out());
    }

    @Test
    void syncPrintsASummaryPerStream() {
        Result r = env.cli("sync", "--streams", "users,leads");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("leads"), r.out());
        assertTrue(r.out().matches("(?s).*leads\\s+full pass\\s+succeeded\\s+120 .*"), r.out());
    }

    @Test
    void anUnknownStreamIsAOneLineError() {
        Result r = env.cli("sync", "--streams", "users,leeds");
        assertNotEquals(0, r.exitCode());
        assertOneLineError(r, "unknown stream leeds", "known: users, lead_fields");
    }

    @Test
    void unknownCommandsAndOptionsAreOneLineErrors() {
        Result command = env.cli("synk");
        assertEquals(2, command.exitCode());
        assertOneLineError(command, "synk");
        Result option = env.cli("sync", "--fast");
        assertEquals(2, option.exitCode());
        assertOneLineError(option, "--fast");
    }

    @Test
    void badSettingsFailAtStartNamingTheKey() {
        assertSettingError("sync.cron", "every day", "sync.cron", "cron");
        assertSettingError("persistiq.base-url", "http://api.example.com", "persistiq.base-url", "https");
        assertSettingError("cache.url", "duckdb:x.db", "cache.url", "jdbc:");
        assertSettingError("persistiq.max-attempts", "many", "persistiq.max-attempts", "whole number");
    }

    @Test
    void anUnreachableCacheIsAOneLineErrorNamingTheKey() {
        String cache = env.settings().get("cache.url");
        env.set("cache.url", "jdbc:postgresql://127.0.0.1:1/nowhere");
        try {
            Result r = env.cli("sync", "--streams", "users");
            assertEquals(1, r.exitCode());
            assertOneLineError(r, "cache.url", "cannot open the cache");
        } finally {
            env.set("cache.url", cache);
        }
    }

    @Test
    void anUnknownKeyFailsAtStart() {
        System.setProperty("persistiq.api-kee", "x");
        try {
            Result r = env.cli("check");
            assertEquals(1, r.exitCode());
            assertOneLineError(r, "persistiq.api-kee is not a known setting");
        } finally {
            System.clearProperty("persistiq.api-kee");
        }
    }

    @Test
    void streamsListsEveryStreamWithItsFields() {
        Result r = env.cli("streams");
        assertEquals(0, r.exitCode());
        for (String s : new String[] {"users", "leads", "campaigns", "lead_fields", "lead_statuses", "campaign_leads", "replies", "events",
                "dnc_domains", "tags"}) {
            assertTrue(r.out().contains(s), s);
        }
        assertTrue(r.out().contains("last_sent_at") && r.out().contains("timestamp"));
        Result json = env.cli("streams", "--json");
        assertTrue(json.out().strip().startsWith("[") && json.out().contains("\"primary_key\" : \"id\""), json.out());
    }

    private static void assertSettingError(String key, String value, String... expected) {
        String previous = env.settings().get(key);
        env.set(key, value);
        try {
            Result r = env.cli("check");
            assertEquals(1, r.exitCode(), key);
            assertOneLineError(r, expected);
        } finally {
            if (previous != null) env.set(key, previous);
            else env.unset(key);
        }
    }
}
