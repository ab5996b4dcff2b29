package io.persistiqsync.cache;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Finds the JDBC driver for a cache URL: on the class path (DuckDB and PostgreSQL ship in the jar), or
 * in a {@code drivers/} folder of jars, as Flyway does, so a big driver (Snowflake's is ~100 MB) is
 * dropped beside the runtime instead of being built into it. Drivers from the folder are used
 * directly, not registered: DriverManager refuses drivers its caller's class loader cannot see.
 */
final class CacheDrivers {
    /** one class loader per folder for the life of the process: a driver's classes load once */
    private static final Map<Path, List<Driver>> FOLDERS = new ConcurrentHashMap<>();

    private CacheDrivers() {
    }

    static Connection connect(String url, Properties props, Path driversDir) throws SQLException {
        Driver driver = find(url, driversDir);
        Connection connection = driver.connect(url, props);
        if (connection == null) throw new SQLException("the JDBC driver " + driver.getClass().getName() + " refused the URL " + CacheUrls.withoutCredentials(url));
        return connection;
    }

    static Driver find(String url, Path driversDir) throws SQLException {
        try {
            return DriverManager.getDriver(url);
        } catch (SQLException notOnClassPath) {
            for (Driver d : inFolder(driversDir)) {
                if (d.acceptsURL(url)) return d;
            }
            String scheme = url.replaceFirst("^(jdbc:[^:]+).*", "$1");
            throw new SQLException("no JDBC driver for " + scheme + " URLs: put the driver's jar in "
                    + (driversDir == null ? "a drivers folder (cache.drivers-dir)" : driversDir.toAbsolutePath().normalize() + " (cache.drivers-dir)")
                    + " or on the class path");
        }
    }

    private static List<Driver> inFolder(Path dir) throws SQLException {
        if (dir == null || !Files.isDirectory(dir)) return List.of();
        Path key = dir.toAbsolutePath().normalize();
        List<Driver> known = FOLDERS.get(key);
        if (known != null) return known;
        synchronized (FOLDERS) {
            return FOLDERS.computeIfAbsent(key, CacheDrivers::load);
        }
    }

    private static List<Driver> load(Path dir) {
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path jar : files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList()) jars.add(jar.toUri().toURL());
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the drivers folder " + dir + ": " + e.getMessage(), e);
        }
        ClassLoader loader = new URLClassLoader("cache-drivers", jars.toArray(URL[]::new), CacheDrivers.class.getClassLoader());
        List<Driver> drivers = new ArrayList<>();
        ServiceLoader.load(Driver.class, loader).stream().forEach(p -> {
            // the folder's own drivers only: those of the class path are found by DriverManager already
            if (p.type().getClassLoader() == loader) drivers.add(p.get());
        });
        return List.copyOf(drivers);
    }
}
