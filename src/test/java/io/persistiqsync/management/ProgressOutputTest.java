package io.persistiqsync.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.persistiqsync.SyncTestSupport;
import io.persistiqsync.SyncTestSupport.Result;
import io.persistiqsync.simulator.SimulatorSettings;

/** `sync` never sits silent: a live block on a terminal, a progress line at a steady interval elsewhere. */
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
}
