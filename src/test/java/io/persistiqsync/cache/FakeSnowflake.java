package io.persistiqsync.cache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Assumptions;

/**
 * fakesnow, a Snowflake emulator (Snowflake's HTTP protocol and SQL, answered by DuckDB), built and
 * started on loopback for one test class with the scripts of {@code ../shared/tools/fakesnow} (or the
 * folder the {@code fakesnow.home} property names). Without that folder the calling test is skipped.
 *
 * <p>Its log (one line per HTTP request) is how the tests count the statements the driver sends.
 */
final class FakeSnowflake implements AutoCloseable {
    /** the line the server logs for every statement the driver sends (one HTTP request each) */
    private static final String QUERY_REQUEST = "POST /queries/v1/query-request";
    /** building the virtual environment is offline, ~20 s; this only bounds a hung pip */
    private static final long SETUP_MINUTES = 5;

    private final int port;
    private final Path log;
    private final ProcessHandle server;
    private final Thread killOnExit;

    private FakeSnowflake(int port, Path log, ProcessHandle server) {
        this.port = port;
        this.log = log;
        this.server = server;
        // a test JVM that dies before @AfterAll would leave the server running
        this.killOnExit = new Thread(server::destroy, "stop-fakesnow");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** Builds (once per build folder) and starts fakesnow on a free port; skips the test when the tools are absent. */
    static FakeSnowflake start() throws IOException, InterruptedException, TimeoutException {
        Path home = Path.of(System.getProperty("fakesnow.home", "../shared/tools/fakesnow")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(home.resolve("setup.sh")) || !Files.isRegularFile(home.resolve("start.sh"))) {
            String reason = "fakesnow is not here (" + home + ", or -Dfakesnow.home=...): the Snowflake sink is not tested";
            System.out.println(reason);
            Assumptions.abort(reason);
        }
        // the build folder (-Dbuild.dir, as the pom has it), so engineers building side by side never share one
        Path buildDir = Path.of(System.getProperty("build.dir", "target")).toAbsolutePath();
        Files.createDirectories(buildDir);
        Path venv = buildDir.resolve("fakesnow-venv");
        Path setupLog = buildDir.resolve("fakesnow-setup.log");
        run(List.of("bash", home.resolve("setup.sh").toString(), venv.toString()), setupLog, SETUP_MINUTES, TimeUnit.MINUTES);

        Path log = Files.createTempFile(buildDir, "fakesnow-", ".log");
        Path portFile = Files.createTempFile(buildDir, "fakesnow-", ".port");
        try {
            // start.sh returns once the server answers (it polls the log), printing the port it took
            run(List.of("bash", home.resolve("start.sh").toString(), venv.toString(), "0", log.toString()), portFile, 1, TimeUnit.MINUTES);
            int port = Integer.parseInt(Files.readString(portFile).strip());
            long pid = Long.parseLong(Files.readString(Path.of(log + ".pid")).strip());
            ProcessHandle server = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("fakesnow exited at once: " + tail(log)));
            return new FakeSnowflake(port, log, server);
        } finally {
            Files.deleteIfExists(portFile);
        }
    }

    private static void run(List<String> command, Path output, long timeout, TimeUnit unit) throws IOException, InterruptedException, TimeoutException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!p.waitFor(timeout, unit)) {
            p.destroyForcibly();
            throw new TimeoutException(command + " did not finish in " + timeout + " " + unit + ": " + tail(output));
        }
        if (p.exitValue() != 0) throw new IllegalStateException(command + " failed (" + p.exitValue() + "): " + tail(output));
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    /**
     * A URL for the database piq, schema APP (folded to upper case, as Snowflake does). Plain HTTP
     * (ssl=off); platform detection off (it would probe cloud metadata addresses); one HTTP try, so a
     * statement the emulator refuses fails at once instead of being retried for a minute.
     */
    String url() {
        return url(port);
    }

    static String url(int port) {
        return "jdbc:snowflake://127.0.0.1:" + port + "/?account=test&ssl=off&db=piq&schema=app&disablePlatformDetection=true&maxHttpRetries=1";
    }

    /** Statements received so far (each is one HTTP request; logins are not counted). */
    long statements() throws IOException {
        try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains(QUERY_REQUEST)).count();
        }
    }

    Path log() {
        return log;
    }

    @Override
    public void close() throws Exception {
        server.destroy();
        try {
            server.onExit().get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            server.destroyForcibly();
        } finally {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        }
    }
}
