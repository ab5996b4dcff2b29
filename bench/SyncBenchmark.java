import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.persistiqsync.simulator.PersistIqSimulator;
import io.persistiqsync.simulator.SimulatorSettings;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * The PersistIQ Sync benchmark (issue 8): the product measured against its physical floors and the
 * API's rate-limit bound, side by side, in one run on the built-in simulator. Not a test: `mvn verify`
 * never runs it. Run it from the project folder with the JDK's source launcher against the shaded jar:
 *
 * <pre>
 *   mvn -q -DskipTests package
 *   java -Xmx1g -cp target/persistiq-sync.jar bench/SyncBenchmark.java [--quick] [--leads 200000]
 * </pre>
 *
 * Options:
 * <pre>
 *   --leads N            leads in the main data set (default 200000)
 *   --quick              skip the 1,000,000-lead memory run and use short rate-limited runs
 *   --only a,b,...       run only these sections: floors, full, incremental, rate, memory
 *   --profile FILE.jfr   record the full sync's child JVM with JFR (settings=profile) and summarise it
 *   --rate-pages-100 N   pages for the 100/minute case (default 120, quick 30)
 *   --rate-pages-500 N   pages for the 500/minute case (default 550, quick 150)
 *   --page-concurrency N pass -Dpersistiq.page-concurrency=N to every product run (default: the jar's own setting)
 *   --cache-options S    appended to the product's DuckDB URL, e.g. ";memory_limit=256MB;checkpoint_threshold=1GB"
 *   --memory-leads a,b   leads for the -Xmx256m memory runs (default 100000,1000000; quick 100000)
 *   --work DIR           scratch folder (default: a new folder under the system temp folder)
 *   --compare JAR        item 3 as A/B pairs instead of once: this jar (A) and another build (B), alternating
 *                        which runs first, on one simulator (single runs on a shared machine are +-25%)
 *   --pairs N            pairs for --compare (default 3)
 *   --compare-settings S for B only, product settings k=v[,k=v...] passed as -D (B may then be this jar itself)
 *   java -cp target/persistiq-sync.jar bench/SyncBenchmark.java jfr-top FILE.jfr   (summary of a recording)
 * </pre>
 *
 * What runs where: the simulator always lives in this JVM (loopback HTTP); the floors run in this JVM.
 * Every product run is "as a user runs it": a child JVM {@code java -jar persistiq-sync.jar sync --streams
 * leads} pointed at the simulator by -D settings, whose working directory is the scratch folder, so
 * it runs exactly the jar's packaged routes and application.properties (not a routes/ folder or
 * application.properties in the directory the benchmark was started from, which may be ahead of the jar).
 */
public class SyncBenchmark {

    /** PersistIQ's page size for leads (contract §3); the simulator uses the same. */
    private static final int PAGE_SIZE = 100;
    /** "No limit" for the product's own pacer: 60,000 ms / 1,000,000 rounds to 0 ms between requests. */
    private static final String UNLIMITED_RPM = "1000000";
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("jfr-top")) {
            JfrTop.print(Path.of(args[1]), System.out);
            return;
        }
        new SyncBenchmark(Options.parse(args)).run();
    }

    // ---------------------------------------------------------------------------------------------
    // options and results
    // ---------------------------------------------------------------------------------------------

    static final class Options {
        int leads = 200_000;
        boolean quick;
        Set<String> only = Set.of("floors", "full", "incremental", "rate", "memory");
        Path profile;
        Integer ratePages100;
        Integer ratePages500;
        Integer pageConcurrency;
        String cacheOptions = "";
        List<Integer> memoryLeads;
        Path work;
        Path compare;
        int pairs = 3;
        List<String> compareSettings = List.of();

        static Options parse(String[] args) throws IOException {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--quick" -> o.quick = true;
                    case "--leads" -> o.leads = Integer.parseInt(args[++i]);
                    case "--only" -> o.only = Set.of(args[++i].split(","));
                    case "--profile" -> o.profile = Path.of(args[++i]).toAbsolutePath();
                    case "--rate-pages-100" -> o.ratePages100 = Integer.parseInt(args[++i]);
                    case "--rate-pages-500" -> o.ratePages500 = Integer.parseInt(args[++i]);
                    case "--page-concurrency" -> o.pageConcurrency = Integer.parseInt(args[++i]);
                    case "--cache-options" -> o.cacheOptions = args[++i];
                    case "--memory-leads" -> o.memoryLeads = java.util.Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
                    case "--work" -> o.work = Path.of(args[++i]).toAbsolutePath();
                    case "--compare" -> o.compare = Path.of(args[++i]).toAbsolutePath();
                    case "--pairs" -> o.pairs = Integer.parseInt(args[++i]);
                    case "--compare-settings" -> o.compareSettings = List.of(args[++i].split(","));
                    default -> throw new IllegalArgumentException("unknown option " + a + " (see the comment at the top of bench/SyncBenchmark.java)");
                }
            }
            if (o.ratePages100 == null) o.ratePages100 = o.quick ? 30 : 120;
            if (o.ratePages500 == null) o.ratePages500 = o.quick ? 150 : 550;
            if (o.memoryLeads == null) o.memoryLeads = o.quick ? List.of(100_000) : List.of(100_000, 1_000_000);
            if (o.work == null) o.work = Files.createTempDirectory("persistiq-bench-");
            Files.createDirectories(o.work);
            return o;
        }
    }

    /** One line of the table. Null fields print as "-". */
    record Row(String item, String measure, Long records, Long requests, Long rowsWritten, Double seconds, String ratio, String target,
            Boolean met, String notes) {
        String recordsPerSecond() {
            return records == null || seconds == null || seconds <= 0 ? "-" : String.format(Locale.ROOT, "%,.0f", records / seconds);
        }
    }

    private final Options options;
    private final Path jar;
    private final String javaBin;
    private final List<Row> rows = new ArrayList<>();
    private final List<String> memoryLines = new ArrayList<>();
    private final Map<String, String> machine = new LinkedHashMap<>();

    // the floors, once measured (seconds); the product's full sync is compared with max(extraction, load)
    private double extractionFloor = Double.NaN;
    private double loadFloor = Double.NaN;
    private long fullSyncRequests = -1;

    SyncBenchmark(Options options) {
        this.options = options;
        this.jar = Path.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)[0]).toAbsolutePath();
        if (!jar.toString().endsWith(".jar")) throw new IllegalStateException("run with -cp <path>/persistiq-sync.jar (got " + jar + ")");
        this.javaBin = ProcessHandle.current().info().command().orElse("java");
    }

    void run() throws Exception {
        long started = System.nanoTime();
        describeMachine();
        log("scratch folder " + options.work + "; jar " + jar);
        if (options.only.contains("floors") || options.only.contains("full") || options.only.contains("incremental")) {
            try (PersistIqSimulator simulator = PersistIqSimulator.start(SimulatorSettings.builder().leads(options.leads).build())) {
                Path ndjson = options.work.resolve("leads.ndjson");
                Prepared prepared = prepare(simulator, ndjson);
                if (options.only.contains("floors")) {
                    extractionFloor(simulator, prepared);
                    extractionWithParse(simulator, prepared);
                    loadFloors(prepared);
                }
                Path cacheFile = options.work.resolve("full.duckdb");
                if (options.compare != null && options.only.contains("full")) compare(simulator, cacheFile);
                else if (options.only.contains("full") || options.only.contains("incremental")) fullSync(simulator, prepared, cacheFile);
                if (options.only.contains("incremental")) incrementalSync(simulator, cacheFile);
                Files.deleteIfExists(ndjson);
            }
        }
        if (options.only.contains("rate")) {
            rateLimited(500, Duration.ofMillis(300), options.ratePages500);
            rateLimited(100, Duration.ofMillis(150), options.ratePages100);
        }
        if (options.only.contains("memory")) {
            memory(options.memoryLeads);
        }
        machine.put("benchmark wall time", String.format(Locale.ROOT, "%.0f s", (System.nanoTime() - started) / 1e9));
        machine.put("load average at end (1/5/15 min)", loadAverage());
        String report = report();
        System.out.println(report);
        Files.writeString(options.work.resolve("results.md"), report);
        log("table also written to " + options.work.resolve("results.md"));
        if (options.profile != null && Files.exists(options.profile)) {
            System.out.println();
            System.out.println("## Profile of the full sync (" + options.profile + ")");
            System.out.println();
            JfrTop.print(options.profile, System.out);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // the data set: one untimed pass that also warms the simulator up
    // ---------------------------------------------------------------------------------------------

    /** What the untimed first pass learnt: pages, bytes, and the flattened column set of the records. */
    record Prepared(int pages, long records, long bytes, Path ndjson, List<String> topFields, List<String> dataFields) {
    }

    /**
     * Pages the whole simulator once (untimed): counts the pages the way a client must (has_more),
     * writes the records as NDJSON for the load floors, and collects the fields. Also warms up the
     * simulator's generator so that the floors and the product meet the same warm server.
     */
    private Prepared prepare(PersistIqSimulator simulator, Path ndjson) throws Exception {
        log("preparing: paging " + options.leads + " leads once (untimed) into " + ndjson);
        HttpClient client = httpClient();
        Set<String> top = new LinkedHashSet<>();
        Set<String> data = new LinkedHashSet<>();
        int page = 0;
        long records = 0;
        long bytes = 0;
        boolean more = true;
        try (BufferedWriter out = Files.newBufferedWriter(ndjson, StandardCharsets.UTF_8)) {
            while (more) {
                page++;
                byte[] body = client.send(leadsPage(simulator, page), HttpResponse.BodyHandlers.ofByteArray()).body();
                bytes += body.length;
                JsonNode root = JSON.readTree(body);
                for (JsonNode lead : root.get("leads")) {
                    records++;
                    lead.fieldNames().forEachRemaining(top::add);
                    if (lead.path("data").isObject()) lead.get("data").fieldNames().forEachRemaining(data::add);
                    out.write(lead.toString());
                    out.write('\n');
                }
                more = root.path("has_more").asBoolean(false);
            }
        }
        log(String.format(Locale.ROOT, "  %d pages, %d records, %.1f MB of JSON", page, records, bytes / 1e6));
        return new Prepared(page, records, bytes, ndjson, List.copyOf(top), List.copyOf(data));
    }

    private static HttpClient httpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    private static HttpRequest leadsPage(PersistIqSimulator simulator, int page) {
        return HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/v1/leads?page=" + page))
                .header("x-api-key", simulator.apiKey()).header("Accept", "application/json").GET().build();
    }

    // ---------------------------------------------------------------------------------------------
    // 1. extraction floor, 2. load floor
    // ---------------------------------------------------------------------------------------------

    /** 1. A bare java.net.http loop over the same pages, one connection, bodies read and discarded. */
    private void extractionFloor(PersistIqSimulator simulator, Prepared data) throws Exception {
        log("1. extraction floor: bare HttpClient paging " + data.pages() + " pages");
        HttpClient client = httpClient();
        long bytes = 0;
        long t0 = System.nanoTime();
        for (int page = 1; page <= data.pages(); page++) {
            HttpResponse<InputStream> answer = client.send(leadsPage(simulator, page), HttpResponse.BodyHandlers.ofInputStream());
            if (answer.statusCode() != 200) throw new IllegalStateException("HTTP " + answer.statusCode() + " on page " + page);
            try (InputStream in = answer.body()) {
                bytes += in.transferTo(OutputStream.nullOutputStream());
            }
        }
        extractionFloor = seconds(t0);
        rows.add(new Row("1", "extraction floor: bare HttpClient loop, bodies discarded", data.records(), (long) data.pages(), null,
                extractionFloor, "1.00", "-", null, String.format(Locale.ROOT, "%.0f MB/s", bytes / 1e6 / extractionFloor)));
    }

    /** Reference (not a floor of the issue): the same loop parsing every page with Jackson's tree model. */
    private void extractionWithParse(PersistIqSimulator simulator, Prepared data) throws Exception {
        log("1b. reference: the same loop + Jackson readTree");
        HttpClient client = httpClient();
        long t0 = System.nanoTime();
        long records = 0;
        for (int page = 1; page <= data.pages(); page++) {
            byte[] body = client.send(leadsPage(simulator, page), HttpResponse.BodyHandlers.ofByteArray()).body();
            records += JSON.readTree(body).get("leads").size();
        }
        double s = seconds(t0);
        rows.add(new Row("1b", "reference: same loop + Jackson readTree of each page", records, (long) data.pages(), null, s,
                ratio(s, extractionFloor), "-", null, "what any client that parses pays"));
    }

    /**
     * 2. The load floor: DuckDB loading the same records straight into a fresh file, two ways; the faster
     * is the floor. Appender: the records flattened as the product flattens them (top-level fields, nested
     * objects as JSON text, each data field its own column), all VARCHAR, no key; only the appending and
     * the final commit/close are timed (JSON parsing is extraction's work). read_json: DuckDB parses the
     * NDJSON itself, with type detection, into a typed table (whole statement and close timed).
     */
    private void loadFloors(Prepared data) throws Exception {
        log("2. load floor: DuckDB Appender and read_json into fresh files");
        // --- Appender ---
        Path appenderFile = options.work.resolve("floor-appender.duckdb");
        deleteDuckDb(appenderFile);
        List<String> columns = new ArrayList<>(data.topFields());
        for (String f : data.dataFields()) columns.add("data." + f);
        long timed = 0;
        long appended = 0;
        long t0 = System.nanoTime();
        Connection connection = DriverManager.getConnection("jdbc:duckdb:" + appenderFile);
        try (Statement s = connection.createStatement()) {
            StringBuilder ddl = new StringBuilder("CREATE TABLE leads (");
            for (int i = 0; i < columns.size(); i++) ddl.append(i == 0 ? "" : ", ").append("c").append(i).append(" VARCHAR");
            s.execute(ddl.append(")").toString());
        }
        timed += System.nanoTime() - t0;
        try (BufferedReader in = Files.newBufferedReader(data.ndjson(), StandardCharsets.UTF_8);
                DuckDBAppender appender = connection.unwrap(DuckDBConnection.class).createAppender("main", "leads")) {
            List<String[]> chunk = new ArrayList<>(20_000);
            String line;
            boolean eof = false;
            while (!eof) {
                chunk.clear();
                while (chunk.size() < 20_000 && !(eof = (line = in.readLine()) == null)) chunk.add(flatten(JSON.readTree(line), columns));
                long c0 = System.nanoTime(); // only appending is timed
                for (String[] row : chunk) {
                    appender.beginRow();
                    for (String v : row) {
                        if (v == null) appender.appendNull();
                        else appender.append(v);
                    }
                    appender.endRow();
                }
                timed += System.nanoTime() - c0;
                appended += chunk.size();
            }
            long c0 = System.nanoTime();
            appender.flush();
            timed += System.nanoTime() - c0;
        }
        long c0 = System.nanoTime();
        connection.close();
        timed += System.nanoTime() - c0;
        double appenderSeconds = timed / 1e9;
        check(appended == data.records(), "appender loaded " + appended + " of " + data.records());

        // --- read_json ---
        Path readJsonFile = options.work.resolve("floor-readjson.duckdb");
        deleteDuckDb(readJsonFile);
        t0 = System.nanoTime();
        long loaded;
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + readJsonFile); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE leads AS SELECT * FROM read_json('" + data.ndjson() + "', format = 'newline_delimited', sample_size = -1)");
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM leads")) {
                rs.next();
                loaded = rs.getLong(1);
            }
            try (ResultSet rs = s.executeQuery("SELECT version()")) {
                rs.next();
                machine.put("DuckDB", rs.getString(1) + " (duckdb_jdbc, in the jar)");
            }
        }
        double readJsonSeconds = seconds(t0);
        check(loaded == data.records(), "read_json loaded " + loaded + " of " + data.records());

        loadFloor = Math.min(appenderSeconds, readJsonSeconds);
        rows.add(new Row("2a", "load floor: DuckDB Appender, " + columns.size() + " VARCHAR columns, no key", data.records(), null, appended,
                appenderSeconds, ratio(appenderSeconds, loadFloor), "-", null, appenderSeconds <= readJsonSeconds ? "the load floor" : ""));
        rows.add(new Row("2b", "load floor: INSERT from read_json (NDJSON, typed)", data.records(), null, loaded, readJsonSeconds,
                ratio(readJsonSeconds, loadFloor), "-", null, readJsonSeconds < appenderSeconds ? "the load floor" : "includes JSON parsing"));
    }

    /** One record as the product flattens it: top-level values as text, containers as JSON, data.* apart. */
    private static String[] flatten(JsonNode lead, List<String> columns) {
        String[] row = new String[columns.size()];
        for (int i = 0; i < row.length; i++) {
            String c = columns.get(i);
            JsonNode v = c.startsWith("data.") ? lead.path("data").get(c.substring(5)) : lead.get(c);
            row[i] = v == null || v.isNull() ? null : v.isValueNode() ? v.asText() : v.toString();
        }
        return row;
    }

    // ---------------------------------------------------------------------------------------------
    // 3. the product's full sync, 4. its incremental re-sync
    // ---------------------------------------------------------------------------------------------

    /** 3. `java -jar persistiq-sync.jar sync --streams leads` into a fresh DuckDB file, timed from fork to exit. */
    private void fullSync(PersistIqSimulator simulator, Prepared data, Path cacheFile) throws Exception {
        log("3. product full sync of " + options.leads + " leads (child JVM, as a user runs it)" + (options.profile != null ? ", with JFR" : ""));
        deleteDuckDb(cacheFile);
        List<String> jvm = new ArrayList<>();
        if (options.profile != null) {
            Files.deleteIfExists(options.profile);
            jvm.add("-XX:StartFlightRecording=filename=" + options.profile + ",settings=profile,dumponexit=true");
        }
        int before = simulator.requests().count();
        ChildRun run = runSync(simulator, cacheFile, jvm, "full", UNLIMITED_RPM, null);
        long requests = simulator.requests().count() - before;
        fullSyncRequests = requests;
        long rowsInTable = queryLong(cacheFile, "SELECT count(*) FROM leads WHERE _deleted_at IS NULL");
        double floor = Math.max(extractionFloor, loadFloor);
        boolean haveFloor = !Double.isNaN(floor);
        rows.add(new Row("3", "product full sync, end to end (`java -jar ... sync --streams leads`, fresh file)", run.summary().records(),
                requests, rowsInTable, run.wallSeconds(), haveFloor ? ratio(run.wallSeconds(), floor) + " x max(floors)" : "-", "<= 1.25",
                haveFloor ? run.wallSeconds() <= 1.25 * floor : null,
                String.format(Locale.ROOT, "of which the leads stream %.1f s (JVM + Camel start-up and close %.1f s); pages/s by quarter %s;"
                        + " peak RSS %s; CPU %.1f s", run.summary().seconds(), run.wallSeconds() - run.summary().seconds(), run.pagesPerSecond(),
                        mb(run.peakRssKb() * 1024), run.cpuSeconds())));
        check(run.exitCode() == 0, "the full sync failed; see " + run.log());
        check(rowsInTable == data.records(), "the cache holds " + rowsInTable + " live leads, expected " + data.records());
    }

    /**
     * 3 as A/B: the full sync with this jar (A) and with {@code --compare} (B) in alternating pairs on
     * the same simulator, each on a fresh file; a row per run and the medians.
     */
    private void compare(PersistIqSimulator simulator, Path cacheFile) throws Exception {
        Map<String, List<double[]>> times = new LinkedHashMap<>();
        times.put("A", new ArrayList<>());
        times.put("B", new ArrayList<>());
        for (int pair = 1; pair <= options.pairs; pair++) {
            for (String which : pair % 2 == 1 ? List.of("A", "B") : List.of("B", "A")) {
                Path jarOfRun = which.equals("A") ? jar : options.compare;
                log("3" + which + ". full sync, pair " + pair + ", " + jarOfRun);
                deleteDuckDb(cacheFile);
                List<String> jvm = which.equals("A") ? List.of() : options.compareSettings.stream().map(kv -> "-D" + kv).toList();
                ChildRun run = runSync(jarOfRun, simulator, cacheFile, jvm, "full-" + which + pair, UNLIMITED_RPM, null);
                check(run.exitCode() == 0, "the full sync failed; see " + run.log());
                times.get(which).add(new double[] {run.wallSeconds(), run.summary().seconds(), run.cpuSeconds()});
                rows.add(new Row("3" + which, "full sync, pair " + pair + " (" + jarOfRun.getFileName() + (jvm.isEmpty() ? "" : " " + jvm) + ")", run.summary().records(), null, null,
                        run.wallSeconds(), "-", "-", null, String.format(Locale.ROOT, "the leads stream %.1f s; CPU %.1f s", run.summary().seconds(), run.cpuSeconds())));
            }
        }
        for (var e : times.entrySet()) {
            double wall = median(e.getValue().stream().mapToDouble(t -> t[0]).toArray());
            double stream = median(e.getValue().stream().mapToDouble(t -> t[1]).toArray());
            double cpu = median(e.getValue().stream().mapToDouble(t -> t[2]).toArray());
            rows.add(new Row("3" + e.getKey(), "median of " + e.getValue().size() + " (" + (e.getKey().equals("A") ? jar : options.compare).getFileName()
                    + ")", null, null, null, wall, "-", "-", null, String.format(Locale.ROOT, "the leads stream %.1f s; CPU %.1f s", stream, cpu)));
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** 4. After 1% of the leads changed: the same command again on the same file (incremental by itself). */
    private void incrementalSync(PersistIqSimulator simulator, Path cacheFile) throws Exception {
        int changed = Math.max(1, options.leads / 100);
        log("4. product incremental re-sync after " + changed + " leads (1%) changed");
        simulator.account().editLeads(changed);
        int before = simulator.requests().count();
        ChildRun run = runSync(simulator, cacheFile, List.of(), "incremental", UNLIMITED_RPM, null);
        long requests = simulator.requests().count() - before;
        check(run.exitCode() == 0, "the incremental sync failed; see " + run.log());
        long written = queryLong(cacheFile, "SELECT count(*) FROM leads WHERE _sync_id = (SELECT max(id) FROM _sync_runs WHERE stream = 'leads')");
        double share = fullSyncRequests > 0 ? (double) requests / fullSyncRequests : Double.NaN;
        rows.add(new Row("4", "product incremental re-sync after 1% of leads changed (" + changed + " leads)", (long) changed, requests, written,
                run.wallSeconds(), String.format(Locale.ROOT, "requests %.2f%% of full; rows %d/%d changed", share * 100, written, changed),
                "<= 2%; rows = changed", share <= 0.02 && written == changed,
                String.format(Locale.ROOT, "mode %s; the stream itself %.2f s", run.summary().mode(), run.summary().seconds())));
    }

    // ---------------------------------------------------------------------------------------------
    // 5. rate-limited runs against the bound pages / limit
    // ---------------------------------------------------------------------------------------------

    /**
     * 5. The simulator limits requests to {@code limit} per fixed 60 s window and answers each after
     * {@code latency}; the product is set to the same limit (persistiq.max-requests-per-minute) and runs
     * as a user runs it (child JVM). Bound: pages / limit minutes (no client fetches faster without 429s).
     * Compared with the bound: the leads stream's own time as the product reports it (from the stream's
     * start to its end; JVM and Camel start-up are item 3's concern, not the rate limit's); wall time is shown too.
     */
    private void rateLimited(int limit, Duration latency, int pages) throws Exception {
        double bound = pages * 60.0 / limit;
        log(String.format(Locale.ROOT, "5. rate-limited: %d/min, %d ms a page, %d pages (bound %.1f s)", limit, latency.toMillis(), pages, bound));
        SimulatorSettings settings = SimulatorSettings.builder().leads(pages * PAGE_SIZE).latency(latency).rateLimitPerWindow(limit)
                .rateLimitWindow(Duration.ofSeconds(60)).build();
        Path cacheFile = options.work.resolve("rate-" + limit + ".duckdb");
        deleteDuckDb(cacheFile);
        try (PersistIqSimulator simulator = PersistIqSimulator.start(settings)) {
            ChildRun run = runSync(simulator, cacheFile, List.of(), "rate-" + limit, Integer.toString(limit), null);
            check(run.exitCode() == 0, "the rate-limited sync failed; see " + run.log());
            int requests = simulator.requests().count();
            int tooMany = simulator.requests().rateLimited();
            double s = run.summary().seconds();
            String gaps = requestGaps(simulator.requests().requests(), 60_000.0 / limit);
            String concurrency = options.pageConcurrency != null ? options.pageConcurrency + " (--page-concurrency)"
                    : packagedSetting("persistiq.page-concurrency").map(v -> v + " (the jar's default)").orElse("does not exist: pages one at a time");
            rows.add(new Row("5", String.format(Locale.ROOT, "product full sync, %d/min limit, %d ms latency, %d pages (bound %d/%d min = %.1f s)",
                    limit, latency.toMillis(), pages, pages, limit, bound), run.summary().records(), (long) requests,
                    queryLong(cacheFile, "SELECT count(*) FROM leads"), s, ratio(s, bound) + " x bound", "<= 1.05, 0 x 429",
                    s <= 1.05 * bound && tooMany == 0,
                    String.format(Locale.ROOT, "%d x 429; latency x rate = %.2f; persistiq.page-concurrency %s; %s; wall with start-up %.1f s",
                            tooMany, latency.toMillis() / 1000.0 * limit / 60.0, concurrency, gaps, run.wallSeconds())));
        }
    }

    /**
     * How evenly the requests were spread: the time lost in gaps longer than 1.5 pacing intervals (the
     * pacer had a slot but nobody asked), and the longest gap. A product at the bound loses ~nothing.
     */
    private static String requestGaps(List<io.persistiqsync.simulator.RecordedRequest> log, double intervalMillis) {
        List<java.time.Instant> times = log.stream().map(io.persistiqsync.simulator.RecordedRequest::receivedAt).sorted().toList();
        double lost = 0;
        double longest = 0;
        for (int i = 1; i < times.size(); i++) {
            double gap = Duration.between(times.get(i - 1), times.get(i)).toNanos() / 1e6;
            longest = Math.max(longest, gap);
            if (gap > 1.5 * intervalMillis) lost += gap - intervalMillis;
        }
        return String.format(Locale.ROOT, "%.1f s lost in gaps > 1.5 x the %.0f ms pace, longest gap %.2f s", lost / 1000, intervalMillis, longest / 1000);
    }

    /** A setting as the jar's packaged application.properties has it (empty when the jar does not know it). */
    private java.util.Optional<String> packagedSetting(String key) throws IOException {
        try (java.util.jar.JarFile jarFile = new java.util.jar.JarFile(jar.toFile())) {
            java.util.zip.ZipEntry entry = jarFile.getEntry("application.properties");
            if (entry == null) return java.util.Optional.empty();
            java.util.Properties p = new java.util.Properties();
            try (InputStream in = jarFile.getInputStream(entry)) {
                p.load(in);
            }
            return java.util.Optional.ofNullable(p.getProperty(key)).map(String::trim);
        }
    }

    /** A library version from the jar's Maven metadata. */
    private String libraryVersion(String groupAndArtifact) {
        try (java.util.jar.JarFile jarFile = new java.util.jar.JarFile(jar.toFile())) {
            java.util.zip.ZipEntry entry = jarFile.getEntry("META-INF/maven/" + groupAndArtifact + "/pom.properties");
            if (entry == null) return "?";
            java.util.Properties p = new java.util.Properties();
            try (InputStream in = jarFile.getInputStream(entry)) {
                p.load(in);
            }
            return p.getProperty("version", "?");
        } catch (IOException e) {
            return "?";
        }
    }

    /**
     * The -D settings that point the product at a simulator and a fresh cache file. Only keys every
     * version of the product knows (it refuses unknown ones), plus --page-concurrency when given.
     */
    private Map<String, String> productSettings(PersistIqSimulator simulator, Path cacheFile, String requestsPerMinute) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("persistiq.base-url", simulator.baseUrl().toString());
        s.put("persistiq.api-key", simulator.apiKey());
        s.put("persistiq.streams", "leads");
        s.put("persistiq.max-requests-per-minute", requestsPerMinute);
        s.put("cache.url", "jdbc:duckdb:" + cacheFile + options.cacheOptions);
        if (options.pageConcurrency != null) s.put("persistiq.page-concurrency", options.pageConcurrency.toString());
        return s;
    }

    // ---------------------------------------------------------------------------------------------
    // 6. memory with -Xmx256m
    // ---------------------------------------------------------------------------------------------

    /** What one -Xmx256m run measured. */
    record MemoryRun(int leads, long stored, ChildRun run, GcLog gc) {
        long peakRssBytes() {
            return run.peakRssKb() * 1024;
        }
    }

    /**
     * 6. Full syncs of each size in a child JVM with -Xmx256m: peak RSS (VmHWM) and heap from the GC log.
     * "Flat" is judged against the smallest size: a larger size's peak RSS at most {@value #FLAT_TOLERANCE} x
     * the smallest one's, and its live heap (largest heap after a GC) at most that too or within 32 MB of
     * it. With one size only, flatness is not judged.
     */
    private void memory(List<Integer> sizes) throws Exception {
        List<MemoryRun> runs = new ArrayList<>();
        for (int leads : sizes) runs.add(memory(leads));
        MemoryRun smallest = runs.stream().min(Comparator.comparingInt(MemoryRun::leads)).orElseThrow();
        for (MemoryRun m : runs) {
            boolean completed = m.run().exitCode() == 0 && m.stored() == m.leads();
            Boolean flat = null; // judged only against a smaller size
            String ratio = String.format(Locale.ROOT, "heap after GC max %s, peak RSS %s", mb(m.gc().maxAfterBytes()), mb(m.peakRssBytes()));
            if (m != smallest) {
                double rss = (double) m.peakRssBytes() / smallest.peakRssBytes();
                double heap = (double) m.gc().maxAfterBytes() / Math.max(1, smallest.gc().maxAfterBytes());
                boolean heapFlat = m.gc().maxAfterBytes() <= Math.max(FLAT_TOLERANCE * smallest.gc().maxAfterBytes(),
                        smallest.gc().maxAfterBytes() + HEAP_SLACK_BYTES);
                flat = rss <= FLAT_TOLERANCE && heapFlat;
                ratio += String.format(Locale.ROOT, "; x %.2f RSS, x %.2f heap vs %,d leads", rss, heap, smallest.leads());
            }
            rows.add(new Row("6", String.format(Locale.ROOT, "product full sync of %,d leads, -Xmx256m", m.leads()), m.run().summary().records(),
                    (long) (m.leads() + PAGE_SIZE - 1) / PAGE_SIZE, m.stored(), m.run().wallSeconds(), ratio,
                    "completes; peak RSS, live heap <= " + FLAT_TOLERANCE + " x smallest size's", met(completed, flat),
                    String.format(Locale.ROOT, "heap used before GC max %s; %d GCs; RSS at 25/50/75/100%% of pages: %s; pages/s by quarter %s",
                            mb(m.gc().maxBeforeBytes()), m.gc().collections(), m.run().rssAtQuarters(), m.run().pagesPerSecond())));
            memoryLines.add(String.format(Locale.ROOT, "| %,d | %s | %s | %s | %s | %s | %.0f |", m.leads(), mb(m.gc().maxAfterBytes()),
                    mb(m.gc().maxBeforeBytes()), mb(m.peakRssBytes()), m.run().rssAtQuarters(), m.run().pagesPerSecond(), m.run().wallSeconds()));
        }
    }

    private static final double FLAT_TOLERANCE = 1.25;
    /** G1 sizes the young generation as it likes: tens of MB of after-GC heap between runs are noise, not growth. */
    private static final long HEAP_SLACK_BYTES = 32L * 1024 * 1024;

    /** yes/no when flatness was judged; otherwise "no" only if the run did not complete, else not judged. */
    private static Boolean met(boolean completed, Boolean flat) {
        if (flat != null) return completed && flat;
        return completed ? null : Boolean.FALSE;
    }

    private MemoryRun memory(int leads) throws Exception {
        log("6. memory: full sync of " + leads + " leads with -Xmx256m");
        Path cacheFile = options.work.resolve("memory-" + leads + ".duckdb");
        deleteDuckDb(cacheFile);
        Path gcLog = options.work.resolve("gc-" + leads + ".log");
        Files.deleteIfExists(gcLog);
        try (PersistIqSimulator simulator = PersistIqSimulator.start(SimulatorSettings.builder().leads(leads).build())) {
            int pages = (leads + PAGE_SIZE - 1) / PAGE_SIZE;
            ChildRun run = runSync(simulator, cacheFile, List.of("-Xmx256m", "-Xlog:gc:file=" + gcLog), "memory-" + leads, UNLIMITED_RPM, pages);
            check(run.exitCode() == 0, "the " + leads + "-lead sync failed; see " + run.log());
            MemoryRun m = new MemoryRun(leads, queryLong(cacheFile, "SELECT count(*) FROM leads"), run, GcLog.parse(gcLog));
            deleteDuckDb(cacheFile); // a million leads is over 1.5 GB of DuckDB file
            return m;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // the child JVM
    // ---------------------------------------------------------------------------------------------

    /** The product's own summary line for the leads stream. */
    record Summary(String mode, String status, long created, long changed, long unchanged, long pages, long requests, double seconds) {
        long records() {
            return created + changed + unchanged;
        }

        private static final Pattern LINE = Pattern.compile(
                "^leads\\s+(.+?)\\s+(\\S+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+([\\d.]+)\\s*$", Pattern.MULTILINE);

        static Summary parse(String stdout) {
            Matcher m = LINE.matcher(stdout);
            if (!m.find()) return new Summary("?", "?", 0, 0, 0, 0, 0, Double.NaN);
            return new Summary(m.group(1), m.group(2), Long.parseLong(m.group(3)), Long.parseLong(m.group(4)), Long.parseLong(m.group(5)),
                    Long.parseLong(m.group(8)), Long.parseLong(m.group(9)), Double.parseDouble(m.group(10)));
        }
    }

    record ChildRun(int exitCode, double wallSeconds, long peakRssKb, String rssAtQuarters, Summary summary, Path log, String pagesPerSecond,
            double cpuSeconds) {
    }

    /**
     * Runs `java [jvm] -D... -jar persistiq-sync.jar sync --streams leads` in the scratch folder, sampling
     * /proc/PID/status every 100 ms (VmHWM: peak RSS) and, when {@code pages} is given, VmRSS as the
     * simulator's served page count passes each quarter of it.
     */
    private ChildRun runSync(PersistIqSimulator simulator, Path cacheFile, List<String> jvm, String label, String requestsPerMinute, Integer pages)
            throws Exception {
        return runSync(jar, simulator, cacheFile, jvm, label, requestsPerMinute, pages);
    }

    private ChildRun runSync(Path jar, PersistIqSimulator simulator, Path cacheFile, List<String> jvm, String label, String requestsPerMinute,
            Integer pages) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(javaBin);
        command.addAll(jvm);
        productSettings(simulator, cacheFile, requestsPerMinute).forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", jar.toString(), "sync", "--streams", "leads"));
        Path out = options.work.resolve("child-" + label + ".out");
        Path err = options.work.resolve("child-" + label + ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(options.work.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        int requestsBefore = simulator.requests().count();
        long t0 = System.nanoTime();
        Process process = pb.start();
        Path status = Path.of("/proc/" + process.pid() + "/status");
        long peakKb = 0;
        List<String> quarters = new ArrayList<>();
        double cpu = 0;
        while (!process.waitFor(100, TimeUnit.MILLISECONDS)) {
            // CPU time, sampled while the child lives (up to 100 ms of it missed at the end): on a shared
            // machine it varies far less than wall time
            cpu = Math.max(cpu, process.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0));
            Map<String, Long> s = procStatus(status);
            peakKb = Math.max(peakKb, s.getOrDefault("VmHWM", 0L));
            if (pages != null && quarters.size() < 4) {
                int served = simulator.requests().count() - requestsBefore;
                if (served >= pages * (quarters.size() + 1) / 4) quarters.add(mb(s.getOrDefault("VmRSS", 0L) * 1024));
            }
        }
        double wall = seconds(t0);
        String pace = pagesPerSecondByQuarter(simulator.requests().requests(), requestsBefore);
        String stdout = Files.readString(out);
        Summary summary = Summary.parse(stdout);
        log(String.format(Locale.ROOT, "  %s: exit %d, %.1f s wall, %.1f s CPU, %s", label, process.exitValue(), wall, cpu, stdout.lines()
                .filter(l -> l.startsWith("leads")).findFirst().orElse("(no summary line; see " + err + ")").replaceAll("\\s+", " ")));
        return new ChildRun(process.exitValue(), wall, peakKb, quarters.isEmpty() ? "-" : String.join(" / ", quarters), summary, err, pace, cpu);
    }

    /**
     * Pages per second in each quarter of the pages the child asked for, from the simulator's request
     * log: a sync whose cost per page grows with the data already stored slows down quarter by quarter.
     */
    private static String pagesPerSecondByQuarter(List<io.persistiqsync.simulator.RecordedRequest> log, int from) {
        List<java.time.Instant> times = log.subList(Math.min(from, log.size()), log.size()).stream()
                .map(io.persistiqsync.simulator.RecordedRequest::receivedAt).sorted().toList();
        if (times.size() < 8) return "-";
        List<String> out = new ArrayList<>();
        for (int q = 0; q < 4; q++) {
            int a = times.size() * q / 4;
            int b = times.size() * (q + 1) / 4 - 1;
            double s = Duration.between(times.get(a), times.get(b)).toNanos() / 1e9;
            out.add(s <= 0 ? "-" : String.format(Locale.ROOT, "%.1f", (b - a) / s));
        }
        return String.join(" / ", out);
    }

    private static Map<String, Long> procStatus(Path status) {
        Map<String, Long> values = new HashMap<>();
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:") || line.startsWith("VmRSS:")) {
                    values.put(line.substring(0, 5), Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the process has just exited
        }
        return values;
    }

    /** Heap figures from -Xlog:gc lines such as "Pause Young (Normal) (G1 Evacuation Pause) 52M->14M(256M) 3.4ms". */
    record GcLog(long maxBeforeBytes, long maxAfterBytes, int collections) {
        private static final Pattern SIZES = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

        static GcLog parse(Path file) throws IOException {
            long before = 0;
            long after = 0;
            int n = 0;
            if (!Files.exists(file)) return new GcLog(0, 0, 0);
            for (String line : Files.readAllLines(file)) {
                Matcher m = SIZES.matcher(line);
                if (!m.find()) continue;
                n++;
                before = Math.max(before, bytes(m.group(1), m.group(2)));
                after = Math.max(after, bytes(m.group(3), m.group(4)));
            }
            return new GcLog(before, after, n);
        }

        private static long bytes(String n, String unit) {
            return Long.parseLong(n) * switch (unit) {
                case "K" -> 1024L;
                case "M" -> 1024L * 1024;
                default -> 1024L * 1024 * 1024;
            };
        }
    }

    // ---------------------------------------------------------------------------------------------
    // the report
    // ---------------------------------------------------------------------------------------------

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
        machine.put("benchmark JVM", "max heap " + mb(Runtime.getRuntime().maxMemory()) + " (simulator + floors); product child JVMs: default heap"
                + " except item 6 (-Xmx256m)");
        machine.put("Camel", libraryVersion("org.apache.camel/camel-api") + ", Jackson " + libraryVersion("com.fasterxml.jackson.core/jackson-databind"));
        machine.put("product", jar + " (" + String.format(Locale.ROOT, "%.0f MB", Files.size(jar) / 1e6) + ", built "
                + Files.getLastModifiedTime(jar).toInstant().toString().replaceAll("\\.\\d+", "") + ")" + gitDescription());
        machine.put("load average at start (1/5/15 min)", loadAverage() + " (other processes on the machine add noise)");
        machine.put("mode", (options.quick ? "--quick" : "full") + ", --leads " + options.leads
                + (options.cacheOptions.isEmpty() ? "" : ", --cache-options " + options.cacheOptions)
                + (options.pageConcurrency == null ? "" : ", --page-concurrency " + options.pageConcurrency) + ", sections " + String.join(",", new java.util.TreeSet<>(options.only)));
    }

    /** The commit of the working directory, when it is a git work tree (the jar should be built from it). */
    private static String gitDescription() {
        try {
            Process git = new ProcessBuilder("git", "describe", "--always", "--dirty").redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return git.waitFor() == 0 ? "; the benchmark ran in a git work tree at " + out + " (rebuild the jar from it to measure it)" : "";
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

    private String report() {
        StringBuilder sb = new StringBuilder();
        sb.append("## PersistIQ Sync benchmark\n\n");
        machine.forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v).append('\n'));
        sb.append("\n| # | measure | records | requests | rows written | time (s) | records/s | ratio | target | met | notes |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|---|---|---|---|\n");
        for (Row r : rows) {
            sb.append("| ").append(r.item()).append(" | ").append(r.measure()).append(" | ").append(num(r.records())).append(" | ")
                    .append(num(r.requests())).append(" | ").append(num(r.rowsWritten())).append(" | ")
                    .append(r.seconds() == null ? "-" : String.format(Locale.ROOT, "%.2f", r.seconds())).append(" | ")
                    .append(r.recordsPerSecond()).append(" | ").append(r.ratio()).append(" | ").append(r.target()).append(" | ")
                    .append(r.met() == null ? "-" : r.met() ? "yes" : "**no**").append(" | ").append(r.notes() == null ? "" : r.notes())
                    .append(" |\n");
        }
        if (!memoryLines.isEmpty()) {
            sb.append("\nMemory (item 6), -Xmx256m, one child JVM per size:\n\n");
            sb.append("| leads | max heap after GC (live) | max heap used before GC | peak RSS (VmHWM) | RSS at 25/50/75/100% of pages"
                    + " | pages/s by quarter | time (s) |\n");
            sb.append("|---:|---:|---:|---:|---|---|---:|\n");
            memoryLines.forEach(l -> sb.append(l).append('\n'));
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------------------------------------
    // small helpers
    // ---------------------------------------------------------------------------------------------

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static String ratio(double value, double reference) {
        return Double.isNaN(reference) || reference <= 0 ? "-" : String.format(Locale.ROOT, "%.2f", value / reference);
    }

    private static String num(Long n) {
        return n == null ? "-" : String.format(Locale.ROOT, "%,d", n);
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.0f MB", bytes / 1024.0 / 1024.0);
    }

    private static long queryLong(Path duckdbFile, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + duckdbFile); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void deleteDuckDb(Path file) throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(Path.of(file + ".wal"));
    }

    private static void check(boolean ok, String message) {
        if (!ok) throw new IllegalStateException(message);
    }

    private static void log(String message) {
        System.err.println("[bench " + java.time.LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + "] " + message);
    }

    // ---------------------------------------------------------------------------------------------
    // JFR summary: where the product's CPU time goes
    // ---------------------------------------------------------------------------------------------

    /**
     * Summarises a JFR recording: Java execution samples attributed to the nearest product method
     * (io.persistiqsync) or, outside product code, to the library step running (HTTP, JSON, Camel,
     * DuckDB); the top self frames; native samples; and the allocation hot spots.
     */
    static final class JfrTop {
        private static final int TOP = 15;

        static void print(Path file, java.io.PrintStream out) throws IOException {
            Map<String, Long> owner = new HashMap<>();
            Map<String, Long> self = new HashMap<>();
            Map<String, Long> inclusive = new HashMap<>();
            Map<String, Long> threads = new HashMap<>();
            Map<String, Long> nativeTop = new HashMap<>();
            Map<String, Long> allocation = new HashMap<>();
            long samples = 0;
            long nativeSamples = 0;
            long allocationWeight = 0;
            long gcPauseNanos = 0;
            int gcs = 0;
            try (RecordingFile recording = new RecordingFile(file)) {
                while (recording.hasMoreEvents()) {
                    RecordedEvent e = recording.readEvent();
                    String type = e.getEventType().getName();
                    switch (type) {
                        case "jdk.ExecutionSample" -> {
                            RecordedStackTrace stack = e.getStackTrace();
                            if (stack == null || stack.getFrames().isEmpty()) continue;
                            samples++;
                            List<RecordedFrame> frames = stack.getFrames();
                            self.merge(name(frames.get(0)), 1L, Long::sum);
                            owner.merge(owner(frames), 1L, Long::sum);
                            Set<String> seen = new HashSet<>();
                            for (RecordedFrame f : frames) {
                                String n = name(f);
                                if (n.startsWith("io.persistiqsync.") && seen.add(n)) inclusive.merge(n, 1L, Long::sum);
                            }
                            threads.merge(threadName(e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName()), 1L,
                                    Long::sum);
                        }
                        case "jdk.NativeMethodSample" -> {
                            RecordedStackTrace stack = e.getStackTrace();
                            if (stack == null || stack.getFrames().isEmpty()) continue;
                            String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
                            if (!thread.equals("main") && !thread.startsWith("Camel")) continue; // idle pools wait in native too
                            nativeSamples++;
                            List<RecordedFrame> frames = stack.getFrames();
                            String top = name(frames.get(0)).replaceAll("^.*\\.([^.]+\\.[^.]+)$", "$1");
                            nativeTop.merge(top + " <- " + productLine(frames), 1L, Long::sum);
                        }
                        case "jdk.ObjectAllocationSample" -> {
                            long w = e.getLong("weight");
                            allocationWeight += w;
                            RecordedStackTrace stack = e.getStackTrace();
                            String where = stack == null ? "?" : owner(stack.getFrames());
                            allocation.merge(where, w, Long::sum);
                        }
                        case "jdk.GarbageCollection" -> {
                            gcs++;
                            gcPauseNanos += e.getDuration("sumOfPauses").toNanos();
                        }
                        default -> {
                        }
                    }
                }
            }
            out.println("JFR samples Java code every 10-20 ms and threads in native code (DuckDB, sockets, zip) every 20 ms,"
                    + " in separate tables: compare shares within a table.");
            out.printf(Locale.ROOT, "%d Java execution samples, %d native samples on the sync thread, %d GCs (%.2f s paused), %.1f GB allocated (sampled estimate)%n%n",
                    samples, nativeSamples, gcs, gcPauseNanos / 1e9, allocationWeight / 1e9);
            table(out, "Java CPU samples by owner (nearest product method, else the library step)", owner, samples);
            table(out, "Java CPU samples, inclusive, product methods", inclusive, samples);
            table(out, "Java CPU samples, self (top frame)", self, samples);
            table(out, "Java CPU samples by thread", threads, samples);
            table(out, "Native samples (main/Camel threads): native method <- product line", nativeTop, nativeSamples);
            table(out, "Allocation (sampled bytes) by owner", allocation, allocationWeight);
        }

        /**
         * The nearest io.persistiqsync frame, or the library step the sample is in when the nearest
         * product frame is only the entry into Camel (the command, SyncRuntime).
         */
        private static String owner(List<RecordedFrame> frames) {
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (n.startsWith("io.persistiqsync.")) {
                    if (!isEntry(n)) return n;
                    break;
                }
            }
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (n.startsWith("org.apache.camel.component.http.")) return "[camel-http producer]";
                if (n.startsWith("org.apache.hc.")) return "[Apache HttpClient 5]";
                if (n.startsWith("org.apache.camel.component.jackson.") || n.startsWith("org.apache.camel.support.processor.MarshalProcessor")
                        || n.startsWith("org.apache.camel.support.processor.UnmarshalProcessor")) return "[camel-jackson unmarshal]";
                if (n.startsWith("com.fasterxml.jackson.")) return "[Jackson]";
                if (n.startsWith("org.duckdb.")) return "[DuckDB JDBC]";
                if (n.startsWith("org.apache.logging.") || n.startsWith("org.slf4j.")) return "[logging]";
            }
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (n.startsWith("org.apache.camel.")) return "[Camel engine: " + camelStep(frames) + "]";
            }
            return "[other: " + name(frames.get(0)).replaceAll("\\.[^.]+\\.[^.]+$", "") + "]";
        }

        /** Product frames that only lead into Camel or start it: not an owner of the work below them. */
        private static boolean isEntry(String name) {
            return name.startsWith("io.persistiqsync.Application.") || name.startsWith("io.persistiqsync.cli.")
                    || name.equals("io.persistiqsync.runtime.SyncRuntime.sync");
        }

        /** The nearest non-entry product frame with its line (which statement), for native samples. */
        private static String productLine(List<RecordedFrame> frames) {
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (n.startsWith("io.persistiqsync.") && !isEntry(n)) return n.replace("io.persistiqsync.", "") + ":" + f.getLineNumber();
            }
            return owner(frames);
        }

        /** Which EIP a Camel-engine sample is under (the innermost recognisable processor). */
        private static String camelStep(List<RecordedFrame> frames) {
            for (RecordedFrame f : frames) {
                String n = f.getMethod().getType().getName();
                for (String eip : new String[] {"IdempotentConsumer", "FilterProcessor", "Splitter", "MulticastProcessor", "AggregateProcessor",
                        "LoopProcessor", "BeanProcessor", "SetHeaderProcessor", "SetPropertyProcessor", "RemoveHeadersProcessor",
                        "SendProcessor", "RedeliveryErrorHandler", "CamelInternalProcessor"}) {
                    if (n.endsWith("." + eip) || n.contains("." + eip + "$")) return eip;
                }
            }
            return "other";
        }

        private static String name(RecordedFrame f) {
            return f.getMethod().getType().getName() + "." + f.getMethod().getName();
        }

        private static String threadName(String name) {
            return name.replaceAll("\\d+", "#");
        }

        private static void table(java.io.PrintStream out, String title, Map<String, Long> counts, long total) {
            out.println("### " + title);
            out.println();
            out.println("| % | samples | frame |");
            out.println("|---:|---:|---|");
            counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())).limit(TOP)
                    .forEach(e -> out.printf(Locale.ROOT, "| %.1f | %,d | `%s` |%n", 100.0 * e.getValue() / Math.max(1, total), e.getValue(), e.getKey()));
            out.println();
        }
    }
}
