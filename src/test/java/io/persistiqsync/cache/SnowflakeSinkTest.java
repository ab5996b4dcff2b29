package io.persistiqsync.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.AlgorithmParameters;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import io.persistiqsync.ChildJvm;
import io.persistiqsync.SyncTestSupport;
import io.persistiqsync.sync.StreamResult;

/**
 * The sink contract on Snowflake, played by fakesnow (an emulator run on loopback: Snowflake's HTTP
 * protocol and SQL, answered by DuckDB) through Snowflake's own JDBC driver. Then what is Snowflake's
 * own: connection defaults, statements per batch (counted in the emulator's log), key-pair sign-in, and
 * secrets in a failed login.
 *
 * <p>Differences fakesnow does not show: DuckDB's DDL is transactional where Snowflake's commits, and
 * fakesnow accepts any password and any key-pair token (the token is checked against a recording
 * stand-in here instead).
 */
@Tag("integration")
class SnowflakeSinkTest extends SinkContract {
    private static final String USER = "piq";
    private static final String PASSWORD = "pw-7c1e4b9a2f";
    private static final String PASSPHRASE = "key-pass-5d3f8a61";
    private static final String WRONG_PASSPHRASE = "not-the-pass-0b9e";

    private FakeSnowflake fakesnow;

    @Override
    void startSink() throws Exception {
        fakesnow = FakeSnowflake.start();
    }

    @Override
    void stopSink() throws Exception {
        if (fakesnow != null) fakesnow.close();
    }

    /** The URL names the database and schema (APP, as Snowflake folds it); no cache.schema. */
    @Override
    Map<String, String> sinkSettings(Path dir) {
        return Map.of("cache.url", fakesnow.url(), "cache.user", USER, "cache.password", PASSWORD);
    }

    @Override
    Class<? extends CacheDialect> expectedDialect() {
        return SnowflakeDialect.class;
    }

    @Override
    String schema() {
        return "APP";
    }

    /** Signed in as the product signs in (the driver needs a user), with the dialect's defaults. */
    @Override
    Connection connect() throws SQLException {
        return new CacheTarget(env.settings().get("cache.url"), null, null, credentials()).connect();
    }

    private static Properties credentials() {
        Properties credentials = new Properties();
        credentials.setProperty("user", USER);
        credentials.setProperty("password", PASSWORD);
        return credentials;
    }

    // --- Snowflake's own ---------------------------------------------------------------------------

    @Test
    @Order(100)
    void platformDetectionIsOffUnlessTheUserSaysOtherwise() throws Exception {
        String bare = "jdbc:snowflake://127.0.0.1:" + 1 + "/?account=test&ssl=off";
        Properties defaults = CacheTarget.of(bare).connectionProperties();
        assertEquals("true", defaults.getProperty("disablePlatformDetection"), "never a probe of cloud metadata addresses unasked");
        assertEquals("false", defaults.getProperty("QUOTED_IDENTIFIERS_IGNORE_CASE"), "quoted names keep their case");

        // the user's own word stands: in the URL (the driver reads any case) ...
        Properties fromUrl = CacheTarget.of(bare + "&DisablePlatformDetection=false").connectionProperties();
        assertNull(fromUrl.getProperty("disablePlatformDetection"), fromUrl::toString);
        // ... or as a property
        Properties own = new Properties();
        own.setProperty("disablePlatformDetection", "false");
        assertEquals("false", new CacheTarget(bare, null, null, own).connectionProperties().getProperty("disablePlatformDetection"));

        // and the driver takes the defaulted properties: a URL without the parameter connects
        String withoutParameter = fakesnow.url().replace("&disablePlatformDetection=true", "");
        assertFalse(withoutParameter.contains("disablePlatformDetection"));
        try (Connection c = new CacheTarget(withoutParameter, null, null, credentials()).connect(); Statement s = c.createStatement()) {
            assertTrue(s.execute("SELECT 1"));
        }
    }

    @Test
    @Order(101)
    void aBatchIsLoadedInOneStatementNotOnePerRow() throws Exception {
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < 2000; i++) rows.add(new String[] {"id-" + i, ODD_VALUE + " \\ é 😀 " + i, null});
        List<String> columns = List.of("id", "text", "nothing");
        try (Connection c = connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("CREATE TEMPORARY TABLE \"_stage_probe\" (\"id\" VARCHAR, \"text\" VARCHAR, \"nothing\" VARCHAR)");

            long before = fakesnow.statements();
            new SnowflakeDialect().bulkLoad(c, null, "_stage_probe", columns, rows);
            assertEquals(1, fakesnow.statements() - before, "2,000 rows, one statement");

            // a batch bigger than a chunk (here ~20 KB of JSON, as if 16 MB were reached) takes a few
            before = fakesnow.statements();
            new SnowflakeDialect(20_000).bulkLoad(c, null, "_stage_probe", columns, rows);
            long chunked = fakesnow.statements() - before;
            assertTrue(chunked > 1 && chunked < 20, chunked + " statements for 2,000 rows in 20 KB chunks");

            List<Map<String, Object>> stored = query(c, "SELECT count(*) AS n, count(\"nothing\") AS nothing, count(DISTINCT \"id\") AS ids,"
                    + " max(CASE WHEN \"id\" = 'id-1234' THEN \"text\" END) AS text FROM \"_stage_probe\"");
            assertEquals(4000L, ((Number) stored.get(0).get("n")).longValue(), "every row of both loads");
            assertEquals(2000L, ((Number) stored.get(0).get("ids")).longValue());
            assertEquals(0L, ((Number) stored.get(0).get("nothing")).longValue(), "null stays SQL NULL");
            assertEquals(ODD_VALUE + " \\ é 😀 1234", stored.get(0).get("text"), "quotes, commas, line breaks, backslashes, unicode");
            c.rollback();
        }
    }

    @Test
    @Order(102)
    void aSyncCostsAsManyStatementsForManyChangedRowsAsForFew() throws Exception {
        account.editLeads(3);
        long before = fakesnow.statements();
        StreamResult few = sync(false, "leads").result("leads");
        long forFew = fakesnow.statements() - before;

        account.editLeads(80);
        before = fakesnow.statements();
        StreamResult many = sync(false, "leads").result("leads");
        long forMany = fakesnow.statements() - before;

        assertEquals(3, few.counts().changed());
        assertEquals(80, many.counts().changed());
        System.out.printf("incremental sync of leads: %d statements for %d changed rows, %d for %d%n", forFew, few.counts().changed(), forMany, many.counts().changed());
        assertEquals(forFew, forMany, "the statements of a sync do not depend on how many rows it writes");
    }

    @Test
    @Order(103)
    void theDriverSignsInWithAnEncryptedKeyPair() throws Exception {
        Path keyFile = env.dir.resolve("rsa_key.p8");
        KeyPair keys = writeEncryptedKey(keyFile, PASSPHRASE);
        Map<String, String> withKey = keySettings(keyFile, PASSPHRASE);

        // what the driver sends: a token signed with the key, naming the key's fingerprint (what Snowflake checks)
        try (RecordingLogin login = RecordingLogin.start()) {
            withKey.put("cache.url", FakeSnowflake.url(login.port()));
            assertNotEquals(0, cli(withKey, "sync", "--streams", "users").exitCode());
            JsonNode data = json.readTree(login.bodies().get(0)).get("data");
            assertEquals("SNOWFLAKE_JWT", data.get("AUTHENTICATOR").asText());
            assertFalse(data.has("PASSWORD") && !data.get("PASSWORD").isNull(), "no password travels with a key");
            String[] jwt = data.get("TOKEN").asText().split("\\.");
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(keys.getPublic());
            rs256.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
            assertTrue(rs256.verify(Base64.getUrlDecoder().decode(jwt[2])), "signed with the key");
            String fingerprint = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(keys.getPublic().getEncoded()));
            String issuer = json.readTree(Base64.getUrlDecoder().decode(jwt[1])).get("iss").asText();
            assertTrue(issuer.endsWith("." + USER.toUpperCase() + ".SHA256:" + fingerprint), issuer);
        }

        // and a sync signs in with it end to end (fakesnow takes any token)
        withKey.put("cache.url", fakesnow.url());
        SyncTestSupport.Result synced = cli(withKey, "sync", "--streams", "users");
        assertEquals(0, synced.exitCode(), synced.err());
    }

    @Test
    @Order(104)
    void aFailedLoginShowsNeitherThePasswordNorTheKeyPassphrase() throws Exception {
        // every line the driver can log (java.util.logging, its default, at ALL) and ours at DEBUG, one file per run
        Path julConfig = env.dir.resolve("logging.properties");
        Files.writeString(julConfig, "handlers = java.util.logging.ConsoleHandler\njava.util.logging.ConsoleHandler.level = ALL\nnet.snowflake.level = ALL\n");

        Map<String, String> refused = new HashMap<>(env.settings());
        refused.put("java.util.logging.config.file", julConfig.toString());
        String passwordOutput;
        try (RecordingLogin login = RecordingLogin.start()) {
            refused.put("cache.url", FakeSnowflake.url(login.port()));
            passwordOutput = childRun(refused, "refused-password", "sync", "--streams", "users")
                    + childRun(refused, "refused-password-status", "status");
            assertTrue(login.bodies().size() >= 2, "both commands tried to sign in");
        }
        assertTrue(passwordOutput.contains("Incorrect username or password was specified"), passwordOutput);
        assertFalse(passwordOutput.contains(PASSWORD), () -> "the password shows in\n" + linesWith(passwordOutput, PASSWORD));

        Path keyFile = env.dir.resolve("rsa_key_wrong_pass.p8");
        writeEncryptedKey(keyFile, PASSPHRASE);
        Map<String, String> wrongKey = keySettings(keyFile, WRONG_PASSPHRASE);
        wrongKey.put("java.util.logging.config.file", julConfig.toString());
        String keyOutput = childRun(wrongKey, "wrong-passphrase", "sync", "--streams", "users");
        assertTrue(keyOutput.contains("Private key provided is invalid"), keyOutput);
        assertFalse(keyOutput.contains(WRONG_PASSPHRASE), () -> "the passphrase shows in\n" + linesWith(keyOutput, WRONG_PASSPHRASE));
    }

    // --- helpers -----------------------------------------------------------------------------------

    /** The test's settings, signing in with a key pair instead of the password. */
    private Map<String, String> keySettings(Path keyFile, String passphrase) {
        Map<String, String> settings = new HashMap<>(env.settings());
        settings.remove("cache.password");
        settings.put("cache.private-key-file", keyFile.toString());
        settings.put("cache.private-key-passphrase", passphrase);
        return settings;
    }

    /** A command in this JVM with these settings instead of the test's. */
    private SyncTestSupport.Result cli(Map<String, String> settings, String... args) {
        Map<String, String> saved = env.settings();
        saved.keySet().forEach(env::unset);
        settings.forEach(env::set);
        try {
            return env.cli(args);
        } finally {
            settings.keySet().forEach(env::unset);
            saved.forEach(env::set);
        }
    }

    /** A command in a JVM of its own; everything it printed. */
    private String childRun(Map<String, String> settings, String name, String... args) throws Exception {
        Path output = env.dir.resolve(name + ".log");
        Process p = ChildJvm.start(settings, output, args);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), name + " did not finish");
        String printed = Files.readString(output);
        assertEquals(1, p.exitValue(), printed);
        return printed;
    }

    private static String linesWith(String output, String secret) {
        return String.join("\n", output.lines().filter(l -> l.contains(secret)).toList());
    }

    /** An RSA key as Snowflake's documentation makes one (openssl pkcs8 -topk8 -v2 aes-256-cbc): PBES2, AES-256. */
    private static KeyPair writeEncryptedKey(Path file, String passphrase) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        SecureRandom random = new SecureRandom();
        byte[] salt = new byte[16];
        byte[] iv = new byte[16];
        random.nextBytes(salt);
        random.nextBytes(iv);
        String algorithm = "PBEWithHmacSHA256AndAES_256";
        Cipher cipher = Cipher.getInstance(algorithm);
        cipher.init(Cipher.ENCRYPT_MODE, SecretKeyFactory.getInstance(algorithm).generateSecret(new PBEKeySpec(passphrase.toCharArray())),
                new PBEParameterSpec(salt, 10_000, new IvParameterSpec(iv)));
        // named PBES2, which EncryptedPrivateKeyInfo can encode (it knows no OID for the cipher's own name)
        AlgorithmParameters pbes2 = AlgorithmParameters.getInstance("PBES2");
        pbes2.init(cipher.getParameters().getEncoded());
        byte[] encrypted = new EncryptedPrivateKeyInfo(pbes2, cipher.doFinal(keys.getPrivate().getEncoded())).getEncoded();
        Files.writeString(file, "-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(encrypted) + "\n-----END ENCRYPTED PRIVATE KEY-----\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------")); // else the driver warns
        return keys;
    }

    /**
     * A Snowflake login endpoint on loopback that records what the driver sends and refuses it as
     * Snowflake refuses a wrong password (fakesnow accepts everything, so it cannot show either).
     */
    private static final class RecordingLogin implements AutoCloseable {
        private final HttpServer server;
        private final List<String> bodies = new CopyOnWriteArrayList<>();

        private RecordingLogin() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/session/v1/login-request", exchange -> {
                try (InputStream raw = exchange.getRequestBody();
                        InputStream in = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding")) ? new GZIPInputStream(raw) : raw) {
                    bodies.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
                byte[] refusal = "{\"data\":{\"nextAction\":null,\"authnMethod\":\"USERNAME_PASSWORD\"},\"code\":\"390100\",\"message\":\"Incorrect username or password was specified.\",\"success\":false}"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, refusal.length);
                exchange.getResponseBody().write(refusal);
                exchange.close();
            });
            server.start();
        }

        static RecordingLogin start() throws IOException {
            return new RecordingLogin();
        }

        int port() {
            return server.getAddress().getPort();
        }

        List<String> bodies() {
            return bodies;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
