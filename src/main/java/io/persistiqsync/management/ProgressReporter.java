package io.persistiqsync.management;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a long sync from sitting silent. On a terminal it redraws a block with a line per stream
 * (records, pages, rate, elapsed, and a bar where the total is known: the streams of the sync, the
 * campaigns of a child stream). Anywhere else it writes a progress line per running stream every
 * {@code sync.progress-interval}: to the log for {@code run}, to standard error for {@code sync}.
 * <p>
 * While the block is live, whatever else goes to standard error (the log: its console appender follows
 * System.err) prints above it, as rich's Live and tqdm's write do: the block is cleared, the line
 * written, the block drawn again below it. Without that a log line lands inside the block and every
 * redraw leaves a stale copy of the block's first line behind.
 */
public class ProgressReporter extends ServiceSupport {
    /** its name in Camel's registry: Operations binds it, the sync command finds it there to draw the live block */
    public static final String REGISTRY_NAME = "syncProgress";

    private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);
    private static final long LIVE_REFRESH_MILLIS = 250;
    private static final int BAR_WIDTH = 20;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    /**
     * The block is drawn with the terminal's line wrap off (DECAWM), its lines cut to the terminal's width
     * where known: a line wider than the terminal never takes two rows, so moving up one row per line always
     * lands on the block's first row (with wrap off that holds after a resize too).
     */
    private static final String WRAP_OFF = "\033[?7l";
    private static final String WRAP_ON = "\033[?7h";

    /** How a command wants progress shown. */
    public enum Mode {
        /** live on a terminal, lines otherwise */
        AUTO,
        /** the live block (a terminal that understands ANSI cursor movement) */
        LIVE,
        /** a line per running stream at a steady interval */
        LINES,
        /** nothing */
        OFF
    }

    /** every account's monitor, by the label its streams get in the output (empty: a one-account runtime) */
    private final Map<String, SyncMonitor> monitors;
    private final Duration interval;
    private ScheduledExecutorService timer;
    private ScheduledFuture<?> ticking;

    // guarded by this. While the block is live nothing but writes to the terminal happens under this lock:
    // a log line holds the log's own locks when it comes here, and must never wait for one held by a redraw
    private Mode mode = Mode.LINES;
    private PrintWriter out; // null: the log
    private int drawn;
    private int columns; // the terminal's width (0: not known)
    private List<String> lastBlock = List.of();
    /** standard error as it was before the live block took it over (null: not taken over) */
    private PrintStream stderr;

    ProgressReporter(Map<String, SyncMonitor> monitors, Duration interval) {
        this.monitors = monitors;
        this.interval = interval;
    }

    /** Every account's sync as one: with several accounts each stream shows as ACCOUNT/STREAM, in the accounts' order. */
    private SyncProgress progress() {
        boolean running = false;
        Instant started = null;
        List<StreamProgress> streams = new ArrayList<>();
        for (Map.Entry<String, SyncMonitor> account : monitors.entrySet()) {
            SyncProgress p = account.getValue().progress();
            running |= p.running();
            if (p.started() != null && (started == null || p.started().isBefore(started))) started = p.started();
            for (StreamProgress stream : p.streams()) streams.add(account.getKey().isEmpty() ? stream : stream.named(account.getKey() + "/" + stream.stream()));
        }
        return new SyncProgress(running, started, streams);
    }

    /** Shows progress on a command's output instead of the log. */
    public synchronized void showOn(PrintWriter out, Mode mode) {
        this.out = out;
        this.mode = mode == Mode.AUTO ? (isTerminal() ? Mode.LIVE : Mode.LINES) : mode;
        if (this.mode == Mode.LIVE && stderr == null) {
            columns = terminalColumns();
            stderr = System.err;
            System.setErr(new PrintStream(new AboveTheBlock(stderr), true));
        }
        if (isStarted()) schedule();
    }

    /** Draws the final state of a live block (call before printing anything else after the sync), and gives standard error back. */
    public void finish() {
        SyncProgress progress = progress();
        PrintStream live;
        synchronized (this) {
            if (mode == Mode.LIVE && drawn > 0) {
                draw(block(progress));
                drawn = 0;
            }
            if (stderr == null) return;
            live = System.err;
            System.setErr(stderr);
            stderr = null;
        }
        live.flush(); // a last line without its end: outside our lock, which a log line takes after its stream's
    }

    @Override
    protected synchronized void doStart() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "persistiq-progress");
            t.setDaemon(true);
            return t;
        });
        schedule();
    }

    @Override
    protected void doStop() {
        synchronized (this) {
            if (timer != null) timer.shutdownNow();
            timer = null;
        }
        finish(); // a sync that failed before the command could: standard error is given back all the same
    }

    private void schedule() {
        if (ticking != null) ticking.cancel(false);
        ticking = null;
        if (mode == Mode.OFF) return;
        long every = mode == Mode.LIVE ? LIVE_REFRESH_MILLIS : interval.toMillis();
        ticking = timer.scheduleAtFixedRate(this::tick, every, every, TimeUnit.MILLISECONDS);
    }

    void tick() {
        try {
            SyncProgress progress = progress(); // outside our lock: the streams' locks are never taken under it
            synchronized (this) {
                if (mode == Mode.LIVE) {
                    if (progress.running() || drawn > 0) draw(block(progress));
                    if (!progress.running()) drawn = 0;
                } else if (mode == Mode.LINES && progress.running()) {
                    for (StreamProgress s : progress.streams()) {
                        if (s.running()) line(s);
                    }
                }
            }
        } catch (RuntimeException e) {
            // progress is a courtesy: it never stops a sync
            LOG.debug("progress: {}", e.toString());
        }
    }

    private void line(StreamProgress s) {
        String text = String.format("progress %s: %,d records, %,d pages, %,.0f records/s, %s elapsed%s", s.stream(), s.records(), s.pages(),
                s.recordsPerSecond(), clock(s.seconds()),
                s.partitions() > 1 ? String.format(", campaign %d of %d", s.partitionsStarted(), s.partitions()) : "");
        if (out == null) {
            LOG.info(text);
        } else {
            out.println(LocalTime.now().format(CLOCK) + " " + text);
            out.flush();
        }
    }

    /** Redraws the block in place: back up over what was drawn, clear each line, write it anew. */
    private void draw(List<String> lines) {
        StringBuilder b = new StringBuilder(WRAP_OFF);
        if (drawn > 0) b.append("\033[").append(drawn).append('F');
        for (String l : lines) b.append("\033[2K").append(columns > 0 && l.length() > columns ? l.substring(0, columns) : l).append('\n');
        for (int i = lines.size(); i < drawn; i++) b.append("\033[2K\n");
        out.print(b.append(WRAP_ON));
        out.flush();
        drawn = Math.max(lines.size(), drawn);
        lastBlock = lines;
    }

    /**
     * Prints lines written to standard error above the block: clears the block row by row (not with
     * erase-below, which tmux takes for a screen clear at the top of its window and copies the screen
     * into its history), writes them where it began, and draws it again below them.
     */
    private synchronized void printAbove(byte[] lines, int length) {
        if (drawn > 0) {
            out.print("\033[" + drawn + "F" + "\033[2K\n".repeat(drawn) + "\033[" + drawn + "F");
            out.flush();
        }
        stderr.write(lines, 0, length);
        stderr.flush();
        if (drawn > 0) {
            drawn = 0;
            draw(lastBlock);
        }
    }

    /** Standard error while the block is live: each whole line goes above the block; a part waits for its end. */
    private final class AboveTheBlock extends OutputStream {
        private final PrintStream passThrough;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        AboveTheBlock(PrintStream passThrough) {
            this.passThrough = passThrough;
        }

        @Override
        public synchronized void write(int b) {
            pending.write(b);
            if (b == '\n') emit();
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            pending.write(b, off, len);
            for (int i = off + len - 1; i >= off; i--) {
                if (b[i] == '\n') {
                    emit();
                    return;
                }
            }
        }

        /** At the end of the live block: what is left without a line end goes out as it is. */
        @Override
        public synchronized void flush() {
            synchronized (ProgressReporter.this) {
                if (stderr != null || pending.size() == 0) return;
            }
            passThrough.write(pending.toByteArray(), 0, pending.size());
            passThrough.flush();
            pending.reset();
        }

        /** The whole lines written so far (a write may end part-way into the next one). */
        private void emit() {
            byte[] all = pending.toByteArray();
            int end = all.length;
            while (end > 0 && all[end - 1] != '\n') end--;
            synchronized (ProgressReporter.this) {
                if (stderr == null) passThrough.write(all, 0, end); // the block has ended meanwhile
                else printAbove(all, end);
            }
            pending.reset();
            pending.write(all, end, all.length - end);
        }
    }

    static List<String> block(SyncProgress progress) {
        List<String> lines = new ArrayList<>();
        int total = progress.streams().size();
        // names are 16 wide, or as wide as the longest (acme/campaign_leads where there are several accounts)
        String name = "  %-" + progress.streams().stream().mapToInt(s -> s.stream().length()).reduce(16, Math::max) + "s";
        lines.add(String.format("sync %s %d/%d streams  %s", bar(progress.done(), total), progress.done(), total,
                clock(progress.elapsed().toMillis() / 1000.0)));
        for (StreamProgress s : progress.streams()) {
            if ("waiting".equals(s.status())) {
                lines.add(String.format(name + " %-11s", s.stream(), s.status()));
                continue;
            }
            String rate = s.running() ? String.format("%,8.0f/s", s.recordsPerSecond()) : "          ";
            String parts = s.partitions() > 1
                    ? String.format("  %s %d/%d campaigns", bar(s.partitionsStarted(), s.partitions()), s.partitionsStarted(), s.partitions())
                    : "";
            lines.add(String.format(name + " %-11s %,10d records %,7d pages %s %s%s", s.stream(), s.status(), s.records(), s.pages(), rate,
                    clock(s.seconds()), parts));
        }
        return lines;
    }

    static String bar(long done, long total) {
        int filled = total <= 0 ? 0 : (int) Math.min(BAR_WIDTH, done * BAR_WIDTH / total);
        return "[" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "]";
    }

    static String clock(double seconds) {
        long s = (long) seconds;
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
    }

    /** The terminal's width in columns as {@code stty} reads it from the controlling terminal; 0 where that cannot be known. */
    static int terminalColumns() {
        try {
            Process stty = new ProcessBuilder("stty", "size").redirectInput(ProcessBuilder.Redirect.from(new File("/dev/tty")))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String size = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim(); // "rows columns"
            if (!stty.waitFor(2, TimeUnit.SECONDS) || stty.exitValue() != 0) return 0;
            return Integer.parseInt(size.substring(size.indexOf(' ') + 1));
        } catch (IOException | RuntimeException e) {
            return 0; // no stty (Windows), no controlling terminal: the block is drawn with wrap off alone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /**
     * Whether the output is a terminal. Up to JDK 21 System.console() is null when input or output is
     * redirected; from JDK 22 it may be a console for pipes too, and Console.isTerminal() tells.
     */
    static boolean isTerminal() {
        java.io.Console console = System.console();
        if (console == null) return false;
        try {
            Method isTerminal = java.io.Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException olderJdk) {
            return true;
        }
    }
}
