package io.persistiqsync.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.bigquery.BigQueryException;

import io.persistiqsync.SyncTestSupport;
import io.persistiqsync.api.StreamCatalog;
import io.persistiqsync.simulator.SimulatorSettings;
import io.persistiqsync.sync.StreamResult;
import io.persistiqsync.sync.SyncRequest;

/**
 * The sink contract on BigQuery, played by {@link BigQueryFake} (its v2 REST API on loopback, tables in
 * DuckDB) through Google's own client: {@link #connect()} reads what landed in the fake, so every
 * scenario checks BigQuery's tables, not the local working file. Then what is BigQuery's own: every
 * mirrored table equals the working file, what a sync costs in load jobs and queries, a batch BigQuery
 * refuses (or takes and then loses the answer to), credentials, and that no request goes anywhere but
 * to the fake (a recording ProxySelector sees every HTTP connection the client opens).
 */
@Tag("integration")
class BigQuerySinkTest extends SinkContract {
    private static final String PROJECT = "piq-project";
    private static final String DATASET = "piq_cache";
    /** every table the mirror keeps, with the columns that order its rows */
    private static final Map<String, String> MIRRORED = Map.of("users", "id", "leads", "id", "campaigns", "id", "lead_fields", "id",
            "lead_statuses", "id", "_sync_runs", "id", "_fields", "stream, field", "_rejected", "stream, record_id, sync_id");

    private BigQueryFake bigQuery;
    private final RecordingProxySelector connections = new RecordingProxySelector();
    private ProxySelector previousSelector;

    @Override
    void startSink() throws Exception {
        bigQuery = BigQueryFake.start(PROJECT);
        previousSelector = ProxySelector.getDefault();
        ProxySelector.setDefault(connections);
    }

    @Override
    void stopSink() throws Exception {
        ProxySelector.setDefault(previousSelector);
        if (bigQuery != null) bigQuery.close();
    }

    @Override
    Map<String, String> sinkSettings(Path dir) {
        return settings(DATASET, dir.resolve("working.duckdb"));
    }

    private Map<String, String> settings(String dataset, Path workingFile) {
        return Map.of("cache.url", "bigquery://" + PROJECT + "/" + dataset, "cache.bigquery.host", bigQuery.url(),
                "cache.bigquery.working-file", workingFile.toString());
    }

    /** The SQL runs on the local working file, a DuckDB database. */
    @Override
    Class<? extends CacheDialect> expectedDialect() {
        return DuckDbDialect.class;
    }

    @Override
    String schema() {
        return DATASET;
    }

    @Override
    Connection connect() throws SQLException {
        return bigQuery.connect();
    }

    private Connection workingFile() throws SQLException {
        Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        return DriverManager.getConnection("jdbc:duckdb:" + env.settings().get("cache.bigquery.working-file"), readOnly);
    }

    // --- BigQuery's own ------------------------------------------------------------------------------

    @Test
    @Order(100)
    void everyMirroredTableHoldsWhatTheWorkingFileHolds() throws Exception {
        assertMirrorEqualsWorkingFile();
        assertTrue(count("SELECT count(*) FROM " + t("_sync_runs")) >= 10, "the run log is there too");
        try (Connection c = connect()) {
            assertTrue(query(c, "SELECT table_name FROM information_schema.tables WHERE table_schema = '" + DATASET + "'").stream()
                    .noneMatch(r -> r.get("table_name").equals("_record_state") || r.get("table_name").equals("_stream_state")),
                    "the sync's own state stays local");
        }
    }

    @Test
    @Order(101)
    void aSyncCostsAFewJobsPerCommitAndNonePerPage() throws Exception {
        try (SyncTestSupport counted = new SyncTestSupport(SimulatorSettings.builder().users(1).leads(200).campaigns(1).pageSize(10))) {
            settings("counted", counted.dir.resolve("working.duckdb")).forEach(counted::set);
            counted.set("cache.pages-per-commit", "1000");

            int loads = bigQuery.loadJobs();
            int queries = bigQuery.queryJobs();
            StreamResult first = counted.sync("leads").result("leads");
            assertTrue(first.succeeded(), first::toString);
            assertEquals(20, first.counts().pages());
            int firstLoads = bigQuery.loadJobs() - loads;
            int firstQueries = bigQuery.queryJobs() - queries;
            // three commits change something: the new table's columns (with the run log), the rows (with the columns the
            // records brought), the run's end; each costs a load job per table it changed and one query
            assertTrue(firstLoads <= 6 && firstQueries <= 3, firstLoads + " load jobs and " + firstQueries + " queries for 20 pages");

            // now a commit every 5 pages, every record rewritten: one load and one query per commit, the run's end one more
            counted.set("cache.pages-per-commit", "5");
            loads = bigQuery.loadJobs();
            queries = bigQuery.queryJobs();
            StreamResult again = counted.sync(false, true, "leads").result("leads");
            assertTrue(again.succeeded(), again::toString);
            assertEquals(200, again.counts().changed() + again.counts().created());
            int commits = 20 / 5;
            assertEquals(commits + 1, bigQuery.loadJobs() - loads, "load jobs");
            assertEquals(commits + 1, bigQuery.queryJobs() - queries, "queries");
        }
        // state lookups never reach BigQuery: the sink only writes there
        for (String sql : bigQuery.queries()) {
            for (String statement : sql.split(";")) {
                assertTrue(statement.isBlank() || statement.strip().matches("(?s)(MERGE INTO|INSERT INTO|BEGIN TRANSACTION|COMMIT TRANSACTION|ALTER TABLE"
                        + "|CREATE OR REPLACE TABLE)\\b.*"), sql);
            }
        }
    }

    @Test
    @Order(102)
    void aBatchBigQueryRefusesIsNotCommittedLocallyEither() throws Exception {
        List<String> edited = account.editLeads(3);
        bigQuery.failQueries(1, false);

        StreamResult failed = runtime.sync(new SyncRequest(StreamCatalog.select(List.of("leads")), false, false)).result("leads");

        assertFalse(failed.succeeded());
        assertTrue(failed.error().contains("BigQuery: ") && failed.error().contains("injected failure"), failed.error());
        for (String id : edited) assertNotEquals(account.lead(id).get("data"), json.readTree((String) lead(id).get("data")), id + " not in BigQuery");
        assertMirrorEqualsWorkingFile(); // so not in the working file either, and the failed run is recorded in both
        assertEquals(1, count("SELECT count(*) FROM " + t("_sync_runs") + " WHERE status = 'failed' AND error LIKE '%injected failure%'"));

        sync(false, "leads");
        for (String id : edited) assertLeadStored(id);
        assertMirrorEqualsWorkingFile();
    }

    @Test
    @Order(103)
    void aBatchBigQueryTookWhileTheLocalCommitWasLostIsSentAgainAndConverges() throws Exception {
        List<String> edited = account.editLeads(3);
        // BigQuery applies the batch, then the answer is lost: as if the process died before its local commit
        bigQuery.failQueries(1, true);

        assertFalse(runtime.sync(new SyncRequest(StreamCatalog.select(List.of("leads")), false, false)).succeeded());
        for (String id : edited) assertLeadStored(id); // BigQuery has the edits...
        try (Connection c = workingFile()) {
            for (String id : edited) {
                String local = (String) query(c, "SELECT data FROM leads WHERE id = '" + id + "'").get(0).get("data");
                assertNotEquals(account.lead(id).get("data"), json.readTree(local), id + ": ...the working file has not");
            }
        }

        StreamResult resumed = sync(false, "leads").result("leads");
        assertEquals(3, resumed.counts().changed(), "the pages are read again and the records found changed again");
        for (String id : edited) assertLeadStored(id);
        assertMirrorEqualsWorkingFile();
    }

    @Test
    @Order(104)
    void withoutCredentialsASyncFailsInOneLineNamingBothSettings() throws Exception {
        assumeTrue(System.getenv(BigQueryTables.ENV_CREDENTIALS) == null, "GOOGLE_APPLICATION_CREDENTIALS is set in this environment");
        withSettings(Map.of("cache.url", "bigquery://" + PROJECT + "/no_key", "cache.bigquery.host", "",
                "cache.bigquery.working-file", env.dir.resolve("no-key.duckdb").toString()), () -> {
                    SyncTestSupport.Result result = env.cli("sync", "--streams", "users");
                    assertNotEquals(0, result.exitCode());
                    assertEquals(1, result.err().strip().lines().count(), result.err());
                    assertTrue(result.err().contains("BigQuery needs a service account key: set cache.bigquery.credentials-file or "
                            + "GOOGLE_APPLICATION_CREDENTIALS"), result.err());
                    return null;
                });
        // a stand-in on loopback is the one place without a key; a remote host, even given, needs one
        BigQueryTarget remote = BigQueryTarget.of(new CacheTarget("bigquery://p/d", null, null, props("bigquery.host", "https://bigquery.example.com")));
        SQLException refused = assertThrows(SQLException.class, () -> BigQueryTables.credentials(remote, Map.of()));
        assertTrue(refused.getMessage().contains("cache.bigquery.credentials-file or GOOGLE_APPLICATION_CREDENTIALS"), refused.getMessage());
    }

    @Test
    @Order(105)
    void aServiceAccountKeySignsInAndNothingOfItIsPrinted() throws Exception {
        Key key = serviceAccountKey("http://127.0.0.1:" + bigQuery.port() + "/token");
        int authorized = bigQuery.authorizations().size();
        LogCapture log = LogCapture.start();
        SyncTestSupport.Result result;
        try {
            result = withSettings(Map.of("cache.bigquery.credentials-file", key.file().toString()), () -> env.cli("sync", "--streams", "users"));
        } finally {
            log.stop();
        }
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(bigQuery.tokensIssued() > 0, "the key was exchanged for a token at its token_uri (here)");
        List<String> used = bigQuery.authorizations().subList(authorized, bigQuery.authorizations().size());
        assertTrue(!used.isEmpty() && used.stream().allMatch(a -> a.startsWith("Bearer fake-token-")), used::toString);
        assertTrue(log.text().contains("users"), "the capture saw the sync's log");
        assertNothingOf(key, result.out() + result.err() + log.text());

        // GOOGLE_APPLICATION_CREDENTIALS names the same kind of file when the setting is empty
        BigQueryTarget target = BigQueryTarget.of(new CacheTarget("bigquery://p/d", null, null, new Properties()));
        assertEquals("com.google.auth.oauth2.ServiceAccountCredentials",
                BigQueryTables.credentials(target, Map.of(BigQueryTables.ENV_CREDENTIALS, key.file().toString())).getClass().getName());
    }

    @Test
    @Order(106)
    void aKeyFileThatIsNotAKeyIsNamedNeverQuoted() throws Exception {
        Key key = serviceAccountKey("http://127.0.0.1:" + bigQuery.port() + "/token");
        // the key with its PEM cut short: a parser that quoted its input would print the secret part
        Path broken = env.dir.resolve("broken-key.json");
        ObjectNode content = (ObjectNode) json.readTree(Files.readString(key.file()));
        content.put("private_key", content.get("private_key").asText().substring(0, 400));
        Files.writeString(broken, content.toString());

        SyncTestSupport.Result result = withSettings(Map.of("cache.bigquery.credentials-file", broken.toString()), () -> env.cli("sync", "--streams", "users"));

        assertNotEquals(0, result.exitCode());
        assertEquals(1, result.err().strip().lines().count(), result.err());
        assertTrue(result.err().contains("the BigQuery key file " + broken + " (cache.bigquery.credentials-file) cannot be read"), result.err());
        assertNothingOf(key, result.out() + result.err());
        SQLException e = assertThrows(SQLException.class, () -> BigQueryTables.credentials(
                BigQueryTarget.of(new CacheTarget("bigquery://p/d", null, null, props("bigquery.credentials-file", broken.toString()))), Map.of()));
        assertEquals(null, e.getCause(), "no cause that a stack trace would print");
    }

    /** Out of reach, BigQuery is a cache whose connection was lost (the stream waits and goes on); a refusal is not. */
    @Test
    @Order(107)
    void bigQueryOutOfReachPassesLikeALostConnectionARefusalDoesNot() {
        assertTrue(CacheFaults.isTransient(BigQueryTables.failure(new BigQueryException(new ConnectException("Connection refused")))));
        assertTrue(CacheFaults.isTransient(BigQueryTables.failure(new BigQueryException(503, "Service Unavailable"))));
        SQLException refused = BigQueryTables.failure(new BigQueryException(400, "Syntax error:\n  unexpected keyword"));
        assertFalse(CacheFaults.isTransient(refused));
        assertEquals("BigQuery: Syntax error: unexpected keyword", refused.getMessage());
    }

    @Test
    @Order(200)
    void noRequestWentToAnyHostButTheFake() {
        List<URI> asked = connections.asked();
        assertTrue(asked.stream().anyMatch(u -> u.getPort() == bigQuery.port()), "the selector saw the client's connections: " + asked);
        assertTrue(asked.stream().allMatch(u -> BigQueryTarget.isLoopback(u.getHost())), asked::toString);
        assertTrue(bigQuery.requests().stream().allMatch(r -> r.matches("(GET|POST|PATCH|PUT) /(bigquery|upload/bigquery)/v2/projects/" + PROJECT
                + "/.*|POST /token")), "only the calls the sink makes: " + bigQuery.requests());
    }

    // --- helpers -------------------------------------------------------------------------------------

    /** Each mirrored table: the same columns in the same order, the same rows and values, in BigQuery and in the working file. */
    private void assertMirrorEqualsWorkingFile() throws SQLException {
        try (Connection local = workingFile(); Connection remote = connect()) {
            for (Map.Entry<String, String> table : MIRRORED.entrySet()) {
                List<Map<String, Object>> want = query(local, "SELECT * FROM main." + q(table.getKey()) + " ORDER BY " + table.getValue());
                List<Map<String, Object>> got = query(remote, "SELECT * FROM " + t(table.getKey()) + " ORDER BY " + table.getValue());
                assertEquals(want.size(), got.size(), table.getKey() + " rows");
                for (int i = 0; i < want.size(); i++) {
                    assertEquals(List.copyOf(want.get(i).keySet()), List.copyOf(got.get(i).keySet()), table.getKey() + " columns");
                    for (String column : want.get(i).keySet()) {
                        assertEquals(normal(want.get(i).get(column)), normal(got.get(i).get(column)), table.getKey() + " row " + i + " " + column);
                    }
                }
            }
        }
    }

    private <T> T withSettings(Map<String, String> overrides, ThrowingSupplier<T> action) throws Exception {
        Map<String, String> saved = new HashMap<>();
        overrides.keySet().forEach(k -> saved.put(k, env.settings().get(k)));
        overrides.forEach(env::set);
        try {
            return action.get();
        } finally {
            saved.forEach((k, v) -> {
                if (v == null) env.unset(k);
                else env.set(k, v);
            });
        }
    }

    @FunctionalInterface
    private interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    private static Properties props(String key, String value) {
        Properties p = new Properties();
        p.setProperty(key, value);
        return p;
    }

    /** A service account key as Google issues them (an RSA key, PKCS#8 PEM), its token_uri given. */
    private record Key(Path file, String pemBody, String keyId) {
    }

    private Key serviceAccountKey(String tokenUri) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String pemBody = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(generator.generateKeyPair().getPrivate().getEncoded());
        String keyId = "key-id-" + Long.toHexString(System.nanoTime());
        ObjectNode key = json.createObjectNode().put("type", "service_account").put("project_id", PROJECT).put("private_key_id", keyId)
                .put("private_key", "-----BEGIN PRIVATE KEY-----\n" + pemBody + "\n-----END PRIVATE KEY-----\n")
                .put("client_email", "sync@" + PROJECT + ".iam.gserviceaccount.com").put("client_id", "1234567890").put("token_uri", tokenUri);
        Path file = Files.createTempFile(env.dir, "key-", ".json");
        Files.writeString(file, key.toString());
        return new Key(file, pemBody, keyId);
    }

    private static void assertNothingOf(Key key, String text) {
        assertFalse(text.contains(key.keyId()), "the key's id");
        for (String line : key.pemBody().split("\n")) assertFalse(text.contains(line), "a line of the private key");
    }

    /** Every HTTP(S) connection the JDK opens asks the default selector; anything but loopback is sent to a dead end. */
    private static final class RecordingProxySelector extends ProxySelector {
        private final List<URI> asked = new CopyOnWriteArrayList<>();

        @Override
        public List<Proxy> select(URI uri) {
            asked.add(uri);
            if (uri.getHost() != null && BigQueryTarget.isLoopback(uri.getHost())) return List.of(Proxy.NO_PROXY);
            return List.of(new Proxy(Proxy.Type.HTTP, new InetSocketAddress(InetAddress.getLoopbackAddress(), 9)));
        }

        @Override
        public void connectFailed(URI uri, SocketAddress address, IOException e) {
        }

        List<URI> asked() {
            return List.copyOf(asked);
        }
    }

    /** The product's log at DEBUG, everything, while a command runs in this JVM. */
    private static final class LogCapture {
        private final StringWriter text = new StringWriter();
        private final WriterAppender appender;
        private final Map<LoggerConfig, Level> levels = new HashMap<>();
        private final Configuration config;
        private final LoggerContext context;

        private LogCapture() {
            context = (LoggerContext) LogManager.getContext(false);
            config = context.getConfiguration();
            appender = WriterAppender.createAppender(PatternLayout.newBuilder().withPattern("%p %c %m %ex%n").build(), null, text, "capture", false, true);
            appender.start();
            for (LoggerConfig logger : List.of(config.getRootLogger(), config.getLoggerConfig("io.persistiqsync"))) {
                levels.put(logger, logger.getLevel());
                logger.setLevel(Level.DEBUG);
            }
            config.getRootLogger().addAppender(appender, Level.ALL, null);
            context.updateLoggers();
        }

        static LogCapture start() {
            return new LogCapture();
        }

        void stop() {
            config.getRootLogger().removeAppender("capture");
            levels.forEach(LoggerConfig::setLevel);
            context.updateLoggers();
            appender.stop();
        }

        String text() {
            return text.toString();
        }
    }
}
