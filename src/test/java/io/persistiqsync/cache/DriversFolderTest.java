package io.persistiqsync.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.persistiqsync.SyncTestSupport;
import io.persistiqsync.simulator.SimulatorSettings;

/**
 * A JDBC driver dropped into the drivers folder is used with no class path change (Flyway's
 * convention; Snowflake's ~100 MB driver is meant to go there). HSQLDB stands in for it: the build
 * copies its jar into a folder of its own, and it is not on the tests' class path.
 */
class DriversFolderTest {
    private static final Path DRIVERS = Path.of(System.getProperty("test.drivers.dir", "target/test-drivers"));

    private SyncTestSupport env;
    private String url;

    @BeforeEach
    void start() throws Exception {
        env = new SyncTestSupport(SimulatorSettings.builder().users(2).leads(150).campaigns(2));
        url = "jdbc:hsqldb:file:" + env.dir.resolve("hsql/cache") + ";shutdown=true";
        env.set("cache.url", url);
    }

    @AfterEach
    void stop() {
        env.close();
    }

    @Test
    void aDriverInTheDriversFolderIsUsedWithoutTheClassPath() throws Exception {
        assertThrows(SQLException.class, () -> DriverManager.getDriver(url), "HSQLDB must not be on the class path for this test to mean anything");
        env.set("cache.drivers-dir", DRIVERS.toString());

        SyncTestSupport.Result first = env.cli("sync", "--streams", "users,leads");
        assertEquals(0, first.exitCode(), first.err());
        SyncTestSupport.Result again = env.cli("sync", "--streams", "leads");
        assertEquals(0, again.exitCode(), again.err());

        CacheTarget target = new CacheTarget(url, null, DRIVERS, new Properties());
        assertEquals(150, count(target, "SELECT count(*) FROM \"leads\""));
        assertEquals(2, count(target, "SELECT count(*) FROM \"users\""));
        assertEquals(3, count(target, "SELECT count(*) FROM \"_sync_runs\" WHERE status = 'succeeded'"));
        assertEquals(150, count(target, "SELECT count(*) FROM \"leads\" WHERE \"_sync_id\" = 2"), "the re-sync wrote nothing: all rows are the first sync's");
    }

    @Test
    void withoutTheDriverTheErrorSaysWhereToPutIt() {
        env.set("cache.drivers-dir", env.dir.resolve("no-drivers-here").toString());

        SyncTestSupport.Result result = env.cli("sync", "--streams", "users");

        assertEquals(1, result.exitCode(), result.err());
        String err = result.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains("no JDBC driver for jdbc:hsqldb URLs: put the driver's jar in " + env.dir.resolve("no-drivers-here")), err);
        assertFalse(err.contains("Exception"), err);
    }

    private static long count(CacheTarget target, String sql) throws SQLException {
        try (Connection c = target.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
