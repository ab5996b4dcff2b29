package io.persistiqsync.management;

import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
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
 */
public class ProgressReporter extends ServiceSupport {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);
    private static final long LIVE_REFRESH_MILLIS = 250;
    private static final int BAR_WIDTH = 20;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

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

    private final SyncMonitor monitor;
    private final Duration interval;
    private ScheduledExecutorService timer;
    private ScheduledFuture<?> ticking;

    // guarded by this
    private Mode mode = Mode.LINES;
    private PrintWriter out; // null: the log
    private int drawn;

    ProgressReporter(SyncMonitor monitor, Duration interval) {
        this.monitor = monitor;
        this.interval = interval;
    }

    /** Shows progress on a command's output instead of the log. */
    public synchronized void showOn(PrintWriter out, Mode mode) {
        this.out = out;
        this.mode = mode == Mode.AUTO ? (isTerminal() ? Mode.LIVE : Mode.LINES) : mode;
        if (isStarted()) schedule();
    }

    /** Draws the final state of a live block (call before printing anything else after the sync). */
    public synchronized void finish() {
        if (mode == Mode.LIVE && drawn > 0) {
            draw(monitor.progress());
            drawn = 0;
        }
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
    protected synchronized void doStop() {
        if (timer != null) timer.shutdownNow();
        timer = null;
    }

    private void schedule() {
        if (ticking != null) ticking.cancel(false);
        ticking = null;
        if (mode == Mode.OFF) return;
        long every = mode == Mode.LIVE ? LIVE_REFRESH_MILLIS : interval.toMillis();
        ticking = timer.scheduleAtFixedRate(this::tick, every, every, TimeUnit.MILLISECONDS);
    }

    synchronized void tick() {
        try {
            SyncProgress progress = monitor.progress();
            if (mode == Mode.LIVE) {
                if (progress.running() || drawn > 0) draw(progress);
                if (!progress.running()) drawn = 0;
            } else if (mode == Mode.LINES && progress.running()) {
                for (StreamProgress s : progress.streams()) {
                    if (s.running()) line(s);
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
    private void draw(SyncProgress progress) {
        List<String> lines = block(progress);
        StringBuilder b = new StringBuilder();
        if (drawn > 0) b.append("\033[").append(drawn).append('F');
        for (String l : lines) b.append("\033[2K").append(l).append('\n');
        for (int i = lines.size(); i < drawn; i++) b.append("\033[2K\n");
        out.print(b);
        out.flush();
        drawn = Math.max(lines.size(), drawn);
    }

    static List<String> block(SyncProgress progress) {
        List<String> lines = new ArrayList<>();
        int total = progress.streams().size();
        lines.add(String.format("sync %s %d/%d streams  %s", bar(progress.done(), total), progress.done(), total,
                clock(progress.elapsed().toMillis() / 1000.0)));
        for (StreamProgress s : progress.streams()) {
            if ("waiting".equals(s.status())) {
                lines.add(String.format("  %-16s %-11s", s.stream(), s.status()));
                continue;
            }
            String rate = s.running() ? String.format("%,8.0f/s", s.recordsPerSecond()) : "          ";
            String parts = s.partitions() > 1
                    ? String.format("  %s %d/%d campaigns", bar(s.partitionsStarted(), s.partitions()), s.partitionsStarted(), s.partitions())
                    : "";
            lines.add(String.format("  %-16s %-11s %,10d records %,7d pages %s %s%s", s.stream(), s.status(), s.records(), s.pages(), rate,
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
