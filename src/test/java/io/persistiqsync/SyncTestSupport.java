package io.persistiqsync;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.persistiqsync.api.StreamCatalog;
import io.persistiqsync.runtime.SyncRuntime;
import io.persistiqsync.simulator.PersistIqSimulator;
import io.persistiqsync.simulator.SimulatorSettings;
import io.persistiqsync.sync.SyncReport;
import io.persistiqsync.sync.SyncRequest;

/**
 * What the end-to-end tests share: a simulator on loopback, a fresh DuckDB file, the real Camel Main
 * pointed at both (with retry waits shortened so fault tests run in seconds), and SQL on the result.
 */
public final class SyncTestSupport implements AutoCloseable {
    public static final String KEY = "test-key-7f3a9c";

    public final PersistIqSimulator simulator;
    public final Path dir;
    public final String cacheUrl;
    private final Map<String, String> settings = new HashMap<>();

    public SyncTestSupport(SimulatorSettings.Builder simulatorSettings) throws Exception {
        this.simulator = PersistIqSimulator.start(simulatorSettings.apiKey(KEY).build());
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Files.createDirectories(tmp);
        this.dir = Files.createTempDirectory(tmp, "sync-test");
        this.cacheUrl = "jdbc:duckdb:" + dir.resolve("cache.duckdb");
        settings.put("persistiq.base-url", simulator.baseUrl().toString());
        settings.put("persistiq.api-key", KEY);
        settings.put("cache.url", cacheUrl);
        settings.put("persistiq.retry-initial-delay", "20");
        settings.put("persistiq.retry-max-delay", "200");
        settings.put("persistiq.rate-limit-fallback-wait", "300");
        settings.put("persistiq.max-requests-per-minute", "100000");
        settings.put("persistiq.response-timeout", "3000");
        // one request at a time unless a test says otherwise: request counts stay exact
        settings.put("persistiq.page-concurrency", "1");
    }

    public SyncTestSupport set(String key, String value) {
        settings.put(key, value);
        return this;
    }

    public SyncTestSupport unset(String key) {
        settings.remove(key);
        return this;
    }

    public Map<String, String> settings() {
        return Map.copyOf(settings);
    }

    public SyncRuntime start() throws Exception {
        return SyncRuntime.start(settings());
    }

    /** One sync of the named streams in a runtime started for it. */
    public SyncReport sync(String... streams) throws Exception {
        return sync(false, false, streams);
    }

    public SyncReport sync(boolean fullPass, boolean fullRefresh, String... streams) throws Exception {
        try (SyncRuntime runtime = start()) {
            return runtime.sync(new SyncRequest(StreamCatalog.select(List.of(streams)), fullPass, fullRefresh));
        }
    }

    /** Runs a command of the product's command line with these settings as -D properties. */
    public Result cli(String... args) {
        Map<String, String> previous = new HashMap<>();
        settings.forEach((k, v) -> previous.put(k, System.setProperty(k, v)));
        try {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Application.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
            return new Result(code, out.toString(), err.toString());
        } finally {
            previous.forEach((k, v) -> {
                if (v == null) System.clearProperty(k);
                else System.setProperty(k, v);
            });
        }
    }

    public record Result(int exitCode, String out, String err) {
    }

    public long count(String sql) throws SQLException {
        return ((Number) rows(sql).get(0).values().iterator().next()).longValue();
    }

    public List<Map<String, Object>> rows(String sql) throws SQLException {
        return rows(cacheUrl, sql);
    }

    /** The rows a query answers on any JDBC URL, each a column-label-to-value map in column order. */
    public static List<Map<String, Object>> rows(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<Map<String, Object>> out = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                out.add(row);
            }
            return out;
        }
    }

    public List<String> columns(String table) throws SQLException {
        return rows("SELECT column_name FROM information_schema.columns WHERE table_name = '" + table + "' ORDER BY ordinal_position")
                .stream().map(r -> (String) r.get("column_name")).toList();
    }

    @Override
    public void close() {
        simulator.close();
    }
}
