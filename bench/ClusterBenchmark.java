import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.persistiqsync.simulator.PersistIqSimulator;
import io.persistiqsync.simulator.SimulatorSettings;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The cluster benchmark (issue 16): how sync throughput over many latency-bound accounts grows from one
 * runtime to three on this machine, and what bounds it. Not a test: `mvn verify` compiles it (bench/ is a
 * test-source root) but never runs it.
 *
 * <p>One simulator serves N accounts (each its own key, data and rate limit, every answer delayed by the
 * same latency); one embedded PostgreSQL holds each account's cache in a schema of its own and Quartz's
 * cluster tables. A phase starts R product runtimes ({@code java -jar persistiq-sync.jar run}, child JVMs,
 * sync.cluster.enabled) on a fresh database, with every account's cron firing once at the same instant
 * (far enough ahead for the JVMs to be up), and waits until every account's leads have synced once. The
 * figures come from each schema's {@code _sync_runs}: records written over the time from the fire to the
 * last run's end, and which node ran which account.
 *
 * <p>The embedded PostgreSQL is a test-scoped dependency, so it runs on the shaded jar followed by the test
 * class path (as bench/Soak.java). From the project folder:
 *
 * <pre>
 *   ./mvnw -B -q -Dbuild.dir=/tmp/build-bench -Dmaven.test.skip=true package
 *   ./mvnw -B -q -Dbuild.dir=/tmp/build-bench dependency:build-classpath -Dmdep.includeScope=test \
 *       -Dmdep.outputFile=/tmp/build-bench/test-classpath.txt
 *   java -cp /tmp/build-bench/persistiq-sync.jar:$(cat /tmp/build-bench/test-classpath.txt) bench/ClusterBenchmark.java
 * </pre>
 *
 * Options:
 * <pre>
 *   --accounts N         accounts on the simulator (default 8)
 *   --leads N            leads per account (default 5000)
 *   --latency-ms N       delay before every answer (default 300)
 *   --limit N            requests per minute per key, the simulator's and the product's (default 100)
 *   --parallel N         sync.max-parallel-accounts of each runtime (default 4, the jar's default)
 *   --runtimes a,b       runtimes per phase (default 1,3)
 *   --startup-seconds N  from starting the JVMs to the fire (default 45)
 *   --work DIR           scratch folder for the runtimes' logs (default: a new folder under the system temp folder)
 * </pre>
 */
public class ClusterBenchmark {
    private static final int PAGE_SIZE = 100;

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        new ClusterBenchmark(o).run();
    }

    static final class Options {
        int accounts = 8;
        int leads = 5000;
        int latencyMs = 300;
        int limit = 100;
        int parallel = 4;
        List<Integer> runtimes = List.of(1, 3);
        int startupSeconds = 45;
        Path work;

        static Options parse(String[] args) throws IOException {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--accounts" -> o.accounts = Integer.parseInt(args[++i]);
                    case "--leads" -> o.leads = Integer.parseInt(args[++i]);
                    case "--latency-ms" -> o.latencyMs = Integer.parseInt(args[++i]);
                    case "--limit" -> o.limit = Integer.parseInt(args[++i]);
                    case "--parallel" -> o.parallel = Integer.parseInt(args[++i]);
                    case "--runtimes" -> o.runtimes = Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
                    case "--startup-seconds" -> o.startupSeconds = Integer.parseInt(args[++i]);
                    case "--work" -> o.work = Path.of(args[++i]).toAbsolutePath();
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + " (see the comment at the top of bench/ClusterBenchmark.java)");
                }
            }
            if (o.work == null) o.work = Files.createTempDirectory("persistiq-cluster-bench-");
            Files.createDirectories(o.work);
            return o;
        }
    }

    /** One account's run of leads, as its schema's _sync_runs has it. */
    record Run(String account, String node, String status, Instant started, Instant finished, long records, long requests) {
    }

    /** What a phase measured. */
    /** @param cpuSeconds CPU time from the fire to the end: each node, the simulator (this JVM), PostgreSQL */
    record Phase(int runtimes, Instant fire, List<Run> runs, long apiRequests, long rateLimited, Map<String, Double> cpuSeconds,
            double machineBusy, boolean complete) {
        Instant end() {
            return runs.stream().map(Run::finished).max(Instant::compareTo).orElse(fire);
        }

        double seconds() {
            return Duration.between(fire, end()).toMillis() / 1000.0;
        }

        long records() {
            return runs.stream().mapToLong(Run::records).sum();
        }

        /** The most accounts that synced at the same moment. */
        int peakParallel() {
            int peak = 0;
            for (Run r : runs) {
                peak = Math.max(peak, (int) runs.stream().filter(o -> !o.started().isAfter(r.started()) && o.finished().isAfter(r.started())).count());
            }
            return peak;
        }

        double medianAccountSeconds() {
            double[] s = runs.stream().mapToDouble(r -> Duration.between(r.started(), r.finished()).toMillis() / 1000.0).sorted().toArray();
            return s.length == 0 ? 0 : s[s.length / 2];
        }
    }

    private final Options options;
    private final Path jar = productJar();
    private final String javaBin = ProcessHandle.current().info().command().orElse("java");

    ClusterBenchmark(Options options) {
        this.options = options;
    }

    /** The product's jar on this JVM's class path: child JVMs run it as a user would. */
    private static Path productJar() {
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (Path.of(entry).getFileName().toString().equals("persistiq-sync.jar")) return Path.of(entry).toAbsolutePath();
        }
        throw new IllegalStateException("persistiq-sync.jar is not on the class path: see the comment at the top of bench/ClusterBenchmark.java");
    }

    void run() throws Exception {
        log("machine: " + Runtime.getRuntime().availableProcessors() + " cores, load average " + loadAverage() + ", Java "
                + System.getProperty("java.version") + "; scratch folder " + options.work);
        SimulatorSettings.Builder served = SimulatorSettings.builder().apiKey("bench-main-key").users(1).leads(options.leads).campaigns(1)
                .latency(Duration.ofMillis(options.latencyMs)).rateLimitWindow(Duration.ofMinutes(1));
        for (String a : accounts()) served.account(a, key(a), options.limit);
        List<Phase> phases = new ArrayList<>();
        try (PersistIqSimulator simulator = PersistIqSimulator.start(served.build()); EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            for (int runtimes : options.runtimes) phases.add(phase(simulator, postgres, runtimes));
        }
        String report = report(phases);
        System.out.println(report);
        Files.writeString(options.work.resolve("results.md"), report);
    }

    private List<String> accounts() {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= options.accounts; i++) names.add("a" + i);
        return names;
    }

    private static String key(String account) {
        return "bench-key-" + account;
    }

    /** R runtimes on a fresh database, one fire of every account, until each has synced its leads once. */
    private Phase phase(PersistIqSimulator simulator, EmbeddedPostgres postgres, int runtimes) throws Exception {
        String database = "bench_" + runtimes + "_" + System.currentTimeMillis() % 100000;
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        String url = postgres.getJdbcUrl("postgres", database);
        // every key starts with a fresh window, so one phase's requests never count against the next
        for (String a : accounts()) simulator.setRateLimit(a, options.limit, Duration.ofMinutes(1));
        simulator.requests().clear();

        // whole seconds, in UTC (the runtimes are started in UTC): the cron fires once at that instant
        Instant fire = Instant.now().plusSeconds(options.startupSeconds).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        ZonedDateTime t = fire.atZone(ZoneOffset.UTC);
        String cron = String.format(Locale.ROOT, "%d %d %d %d %d ? %d", t.getSecond(), t.getMinute(), t.getHour(), t.getDayOfMonth(), t.getMonthValue(),
                t.getYear());
        log(runtimes + " runtime(s) on database " + database + ", every account fires at " + fire);

        List<Process> nodes = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        try {
            for (int n = 1; n <= runtimes; n++) {
                Path log = options.work.resolve("runtimes-" + runtimes + "-node-" + n + ".log");
                logs.add(log);
                nodes.add(start(settings(simulator, url, cron, "node-" + n), log));
            }
            if (!awaitUp(logs, fire)) log("not every runtime was up by the fire: raise --startup-seconds (the figures below still count)");
            // CPU from the fire on: the JVMs' start-up is not the sync's
            long wait = Duration.between(Instant.now(), fire).toMillis();
            if (wait > 0) Thread.sleep(wait);
            long[] machineBefore = machineCpu();
            double[] nodesBefore = cpuSeconds(nodes);
            double simulatorBefore = ownCpuSeconds();
            double postgresBefore = postgresCpuSeconds(postgres.getPort());

            boolean complete = awaitSynced(url, fire.plus(Duration.ofMinutes(10)));
            long[] machineAfter = machineCpu();
            double[] nodesAfter = cpuSeconds(nodes);
            Map<String, Double> cpu = new LinkedHashMap<>();
            for (int n = 0; n < nodes.size(); n++) cpu.put("node-" + (n + 1), nodesAfter[n] - nodesBefore[n]);
            cpu.put("simulator", ownCpuSeconds() - simulatorBefore);
            cpu.put("postgres", postgresCpuSeconds(postgres.getPort()) - postgresBefore);
            double busy = 1 - (double) (machineAfter[1] - machineBefore[1]) / Math.max(1, machineAfter[0] - machineBefore[0]);
            return new Phase(runtimes, fire, runs(url), simulator.requests().count(), simulator.requests().rateLimited(), cpu, busy, complete);
        } finally {
            for (Process p : nodes) p.destroy();
            for (Process p : nodes) {
                if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
            }
        }
    }

    private Map<String, String> settings(PersistIqSimulator simulator, String url, String cron, String node) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("persistiq.accounts", String.join(",", accounts()));
        s.put("persistiq.base-url", simulator.baseUrl().toString());
        for (String a : accounts()) {
            s.put("persistiq.account." + a + ".api-key", key(a));
            s.put("persistiq.account." + a + ".cache.schema", a);
        }
        s.put("persistiq.streams", "leads");
        s.put("persistiq.max-requests-per-minute", Integer.toString(options.limit));
        s.put("cache.url", url);
        s.put("sync.cron", cron);
        s.put("sync.max-parallel-accounts", Integer.toString(options.parallel));
        s.put("sync.cluster.enabled", "true");
        s.put("sync.cluster.node-id", node);
        s.put("sync.cluster.checkin-interval", "PT2S");
        return s;
    }

    private Process start(Map<String, String> settings, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaBin, "-Xmx384m", "-Duser.timezone=UTC"));
        settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", jar.toString(), "run"));
        // the scratch folder as working directory: the jar's own routes and application.properties, not this folder's
        return new ProcessBuilder(command).directory(options.work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static double[] cpuSeconds(List<Process> nodes) {
        return nodes.stream().mapToDouble(p -> p.info().totalCpuDuration().map(d -> d.toMillis() / 1000.0).orElse(Double.NaN)).toArray();
    }

    /** This JVM's CPU: the simulator's answers, and this program's polling (a query a second). */
    private static double ownCpuSeconds() {
        return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toMillis() / 1000.0).orElse(Double.NaN);
    }

    /**
     * The embedded PostgreSQL's CPU: its postmaster's own and that of the backends it has reaped (a backend
     * lives as long as its connection, and the runtimes open one per sync), plus its processes alive now.
     * pg_ctl leaves the postmaster a child of init: it is found by its port.
     */
    private static double postgresCpuSeconds(int port) {
        ProcessHandle postmaster = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").matches(".*/postgres .*-p " + port + "( .*)?")).findFirst().orElse(null);
        if (postmaster == null) return Double.NaN;
        double seconds = ticks(postmaster, true) / 100.0; // USER_HZ, 100 on Linux
        for (ProcessHandle child : postmaster.children().toList()) seconds += ticks(child, false) / 100.0;
        return seconds;
    }

    /** utime + stime (fields 14, 15 of proc(5)), with the reaped children's cutime + cstime (16, 17) if asked. */
    private static long ticks(ProcessHandle p, boolean withReaped) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
        } catch (IOException gone) {
            return 0; // it ended since it was listed: its parent has its time now
        }
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]) + (withReaped ? Long.parseLong(f[13]) + Long.parseLong(f[14]) : 0);
    }

    /** Until every runtime says it runs (its line once up), or the fire comes. */
    private static boolean awaitUp(List<Path> logs, Instant fire) throws Exception {
        while (Instant.now().isBefore(fire)) {
            boolean all = true;
            for (Path log : logs) all &= Files.exists(log) && Files.readString(log).contains("SyncRuntime - running: syncs [");
            if (all) {
                log("all runtimes up, " + Duration.between(Instant.now(), fire).toSeconds() + " s before the fire");
                return true;
            }
            Thread.sleep(500);
        }
        return false;
    }

    /** Until every account's schema has a finished run of leads, or the deadline. */
    private boolean awaitSynced(String url, Instant deadline) throws Exception {
        int lastSaid = -1;
        while (Instant.now().isBefore(deadline)) {
            int done = (int) runs(url).stream().filter(r -> r.finished() != null).count();
            if (done != lastSaid) log(done + " of " + options.accounts + " accounts synced");
            lastSaid = done;
            if (done == options.accounts) return true;
            Thread.sleep(1000);
        }
        return false;
    }

    /** Each account's runs of leads (finished or not) from its own schema's _sync_runs. */
    private List<Run> runs(String url) throws SQLException {
        List<Run> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String a : accounts()) {
                try (ResultSet present = s.executeQuery("SELECT to_regclass('" + a + "._sync_runs') IS NOT NULL")) {
                    present.next();
                    if (!present.getBoolean(1)) continue;
                }
                try (ResultSet rs = s.executeQuery("SELECT node, status, started_at, finished_at, records_new + records_changed + records_unchanged,"
                        + " requests FROM " + a + "._sync_runs WHERE stream = 'leads' AND finished_at IS NOT NULL ORDER BY id")) {
                    while (rs.next()) {
                        out.add(new Run(a, rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getTimestamp(4).toInstant(),
                                rs.getLong(5), rs.getLong(6)));
                    }
                }
            }
        }
        return out;
    }

    private String report(List<Phase> phases) {
        StringBuilder out = new StringBuilder();
        // one account pages no faster than its key's limit (the pacer spaces requests 60 s / limit apart); the latency
        // bounds it instead only where it is longer than that spacing times the pages kept in flight (page-concurrency)
        double perAccount = options.limit / 60.0 * PAGE_SIZE;
        out.append(String.format(Locale.ROOT, "%d accounts x %,d leads, %d ms a request, %d requests a minute per key; sync.max-parallel-accounts %d;"
                + " one account's bound from its rate limit: %.0f records/s (a page of %d every %.0f ms)%n%n", options.accounts, options.leads,
                options.latencyMs, options.limit, options.parallel, perAccount, PAGE_SIZE, 60000.0 / options.limit));
        out.append("| runtimes | fire to last run's end | records | records/s | accounts at once (peak) | one account's sync (median) | accounts by node"
                + " | records by node | API requests | 429s | CPU s from the fire | ours, in cores | machine busy |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Phase p : phases) {
            Map<String, Integer> accountsBy = new TreeMap<>();
            Map<String, Long> recordsBy = new TreeMap<>();
            for (Run r : p.runs()) {
                accountsBy.merge(r.node(), 1, Integer::sum);
                recordsBy.merge(r.node(), r.records(), Long::sum);
            }
            StringBuilder accounts = new StringBuilder();
            accountsBy.forEach((n, a) -> accounts.append(accounts.length() == 0 ? "" : ", ").append(n).append(' ').append(a));
            StringBuilder share = new StringBuilder();
            recordsBy.forEach((n, rec) -> share.append(share.length() == 0 ? "" : ", ")
                    .append(String.format(Locale.ROOT, "%s %.0f%%", n, 100.0 * rec / Math.max(1, p.records()))));
            StringBuilder cpu = new StringBuilder();
            p.cpuSeconds().forEach((n, s) -> cpu.append(cpu.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.1f", n, s)));
            double ours = p.cpuSeconds().values().stream().mapToDouble(Double::doubleValue).sum() / Math.max(0.001, p.seconds());
            out.append(String.format(Locale.ROOT, "| %d | %.1f s%s | %,d | %,.0f | %d | %.1f s | %s | %s | %d | %d | %s | %.2f of %d | %.0f%% |%n", p.runtimes(),
                    p.seconds(), p.complete() ? "" : " (not every account synced)", p.records(), p.records() / Math.max(0.001, p.seconds()),
                    p.peakParallel(), p.medianAccountSeconds(), accounts, share, p.apiRequests(), p.rateLimited(), cpu, ours, Runtime.getRuntime().availableProcessors(), 100 * p.machineBusy()));
        }
        out.append(String.format(Locale.ROOT, "%nload average at the end: %s%n", loadAverage()));
        return out.toString();
    }

    /** The machine's CPU time (all of it, and idle + iowait) in jiffies, from /proc/stat. */
    private static long[] machineCpu() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < f.length; i++) total += Long.parseLong(f[i]);
        return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void log(String message) {
        System.err.println("[cluster-bench " + java.time.LocalTime.now().withNano(0) + "] " + message);
    }
}
