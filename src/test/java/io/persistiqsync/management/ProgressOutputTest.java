package io.persistiqsync.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.persistiqsync.Application;
import io.persistiqsync.SyncTestSupport;
import io.persistiqsync.SyncTestSupport.Result;
import io.persistiqsync.simulator.SimulatorSettings;

/** `sync` never sits silent: a live block on a terminal, a progress line at a steady interval elsewhere. */
@Tag("integration")
class ProgressOutputTest {
    static final Pattern LINE = Pattern.compile("(?m)^\\d\\d:\\d\\d:\\d\\d progress leads: ([\\d,]+) records, (\\d+) pages, [\\d,]+ records/s, \\d+:\\d\\d elapsed$");
    static SyncTestSupport env;

    @BeforeAll
    static void simulator() throws Exception {
        env = new SyncTestSupport(SimulatorSettings.builder().users(2).leads(1000).campaigns(1).latency(Duration.ofMillis(100)));
        env.set("sync.progress-interval", "PT0.2S");
    }

    @AfterAll
    static void stop() {
        env.close();
    }

    @Test
    void offATerminalAProgressLineComesAtEachInterval() {
        Result r = env.cli("sync", "--streams", "leads", "--full-refresh"); // auto: surefire's output is no terminal
        assertEquals(0, r.exitCode(), r::toString);
        Matcher m = LINE.matcher(r.err());
        int lines = 0;
        long lastRecords = -1;
        while (m.find()) {
            lines++;
            long records = Long.parseLong(m.group(1).replace(",", ""));
            assertTrue(records >= lastRecords, "counts only grow: " + r.err());
            lastRecords = records;
        }
        assertTrue(lines >= 3, "a line every 0.2 s of a sync of 10 slow pages: " + r.err());
        assertFalse(r.err().contains("\033["), "no cursor movement off a terminal");
        assertTrue(r.out().contains("leads") && r.out().contains("succeeded"), r.out());
    }

    @Test
    void onATerminalALiveBlockIsRedrawnInPlace() {
        Result r = env.cli("sync", "--streams", "users,leads", "--full-refresh", "--progress", "live");
        assertEquals(0, r.exitCode(), r::toString);
        String err = r.err();
        assertTrue(err.contains("\033[3F"), "moves back up over the three lines drawn: " + err);
        assertTrue(err.contains("\033[2K  leads            running"), err);
        assertTrue(err.contains("[####################] 2/2 streams"), "the final state: " + err);
        assertTrue(Pattern.compile("\033\\[2K  leads +succeeded +1,000 records +10 pages").matcher(err).find(), err);
        assertFalse(LINE.matcher(err).find(), "no plain lines in live mode");
    }

    /** With several accounts the block has every account's streams, each named ACCOUNT/STREAM (it followed the first account only). */
    @Test
    void withSeveralAccountsTheBlockShowsEveryAccountsStreams() throws Exception {
        try (SyncTestSupport accounts = new SyncTestSupport(SimulatorSettings.builder().users(2).leads(300).campaigns(1)
                .latency(Duration.ofMillis(50)).account("acme", "acme-key-41", 0).account("globex", "globex-key-97", 0))) {
            accounts.set("persistiq.accounts", "acme,globex").set("sync.progress-interval", "PT0.2S")
                    .set("persistiq.account.acme.api-key", "acme-key-41")
                    .set("persistiq.account.acme.cache.url", "jdbc:duckdb:" + accounts.dir.resolve("acme.duckdb"))
                    .set("persistiq.account.globex.api-key", "globex-key-97")
                    .set("persistiq.account.globex.cache.url", "jdbc:duckdb:" + accounts.dir.resolve("globex.duckdb"));
            Result r = accounts.cli("sync", "--streams", "leads", "--progress", "live");
            assertEquals(0, r.exitCode(), r::toString);
            String err = r.err();
            assertTrue(err.contains("[####################] 2/2 streams"), "the final state, both accounts: " + err);
            assertTrue(Pattern.compile("\033\\[2K  acme/leads +succeeded ").matcher(err).find(), err);
            assertTrue(Pattern.compile("\033\\[2K  globex/leads +succeeded ").matcher(err).find(), err);
        }
    }

    @Test
    void offMeansNothingAndABadModeIsAUsageError() {
        Result off = env.cli("sync", "--streams", "users", "--progress", "off");
        assertEquals(0, off.exitCode(), off::toString);
        assertFalse(off.err().contains("progress"), off.err());
        Result bad = env.cli("sync", "--streams", "users", "--progress", "loud");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("--progress must be auto, live, lines or off"), bad.err());
    }

    @Test
    void theBlockShowsABarWhereTheTotalIsKnown() {
        SyncProgress progress = new SyncProgress(true, Instant.now().minusSeconds(75), List.of(
                new StreamProgress("campaigns", "succeeded", 12, 1, 0, 0.4, 0, 0),
                new StreamProgress("campaign_leads", "running", 340, 9, 120, 2.8, 6, 3),
                StreamProgress.waiting("replies")));
        List<String> block = ProgressReporter.block(progress);
        assertTrue(block.get(0).startsWith("sync [######--------------] 1/3 streams  1:1"), block.get(0));
        assertTrue(block.get(2).contains("340 records") && block.get(2).endsWith("[##########----------] 3/6 campaigns"), block.get(2));
        assertEquals("  replies          waiting    ", block.get(3));
        assertEquals("1:02:03", ProgressReporter.clock(3723));
    }

    /**
     * In a real terminal (tmux), the sync's own log lines print above the live block, which stays whole
     * below them: no stale copy of its first line for every log line written while it was drawn, and no
     * line of it wrapped onto a second row where the terminal is narrower than the line.
     */
    @ParameterizedTest(name = "{0} columns")
    @ValueSource(ints = {60, 120})
    void inARealTerminalLogLinesPrintAboveTheBlock(int columns) throws Exception {
        assumeTrue(tmuxInstalled(), "tmux is not installed: this test needs a real terminal to draw in");
        String server = "persistiq-progress-test-" + ProcessHandle.current().pid() + "-" + columns;
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
        env.settings().forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Application.class.getName(), "sync", "--full-refresh"));
        Path script = env.dir.resolve("sync-in-terminal.sh"); // a script: the class path is longer than a tmux command may be
        Files.writeString(script, "cd " + quoted(env.dir.toString()) + " && "
                + command.stream().map(ProgressOutputTest::quoted).collect(Collectors.joining(" ")) + "; echo EXIT=$?; sleep 600\n");
        try {
            String started = tmux(server, "new-session", "-d", "-x", Integer.toString(columns), "-y", "40", "sh " + quoted(script.toString()));
            assertTrue(started.isBlank(), "tmux started: " + started);
            String[] pane = new String[1];
            try {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
                    pane[0] = tmux(server, "capture-pane", "-p", "-J", "-S", "-"); // the whole history, wrapped lines joined
                    return pane[0].contains("EXIT=");
                });
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("the sync did not end in the terminal: " + pane[0], e);
            }
            List<String> rows = pane[0].lines().map(String::stripTrailing).toList();
            String all = String.join("\n", rows);
            assertTrue(all.contains("EXIT=0"), all);
            List<Integer> bars = new ArrayList<>();
            List<Integer> logLines = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                if (rows.get(i).startsWith("sync [")) bars.add(i);
                if (rows.get(i).contains(" INFO  [main] RunPlanner - ")) logLines.add(i);
            }
            assertEquals(1, bars.size(), "one block, no stale lines of it: " + all);
            assertTrue(logLines.size() >= 5, "a log line per stream: " + all);
            int bar = bars.get(0);
            assertTrue(logLines.get(logLines.size() - 1) < bar, "the log lines print above the block: " + all);
            assertTrue(rows.get(bar).startsWith("sync [####################] 5/5 streams"), all);
            List<String> streams = List.of("users", "lead_fields", "lead_statuses", "leads", "campaigns");
            for (int i = 0; i < streams.size(); i++) {
                String row = rows.get(bar + 1 + i);
                assertTrue(row.startsWith(String.format("  %-16s succeeded", streams.get(i))), "a row per stream right below the bar: " + all);
                assertTrue(row.length() <= columns, "cut at the terminal's edge, not wrapped: " + row);
            }
            assertTrue(rows.get(bar + 1 + streams.size()).startsWith("stream "), "the summary right after the block: " + all);
        } finally {
            tmux(server, "kill-server");
        }
    }

    private static boolean tmuxInstalled() {
        try {
            Process p = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    /** A tmux command on a server of the test's own (a socket of its own: no one else's sessions are touched). */
    private static String tmux(String server, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", server));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return output;
    }

    private static String quoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
