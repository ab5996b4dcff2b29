package io.persistiqsync.cache;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Which cache to open and how to sign in to it: the URL, the schema, and the properties handed to its
 * driver (credentials included). Built from the settings once; every command and the runtime open the
 * cache through {@link #connect()}, so drivers, defaults and secrets are handled in one place.
 *
 * @param url              the JDBC URL (or another scheme a sink of this package understands)
 * @param schema           where tables land; null or empty = the dialect's default
 * @param driversDir       a folder of JDBC driver jars loaded besides the class path (Flyway's convention)
 * @param driverProperties user, password, keys, tokens and driver options; secrets: never printed
 */
public record CacheTarget(String url, String schema, Path driversDir, Properties driverProperties) {

    public CacheTarget {
        schema = schema == null || schema.isBlank() ? null : schema;
        Properties copy = new Properties();
        if (driverProperties != null) copy.putAll(driverProperties);
        driverProperties = copy;
    }

    /** A target with nothing but a URL (tests, tools). */
    public static CacheTarget of(String url) {
        return new CacheTarget(url, null, null, new Properties());
    }

    public CacheDialect dialect() {
        return CacheDialect.forUrl(url);
    }

    /** The properties for a new connection: ours, then the dialect's defaults (which never override ours). */
    Properties connectionProperties() throws SQLException {
        Properties props = new Properties();
        props.putAll(driverProperties);
        // a BigQuery cache's own settings are not for its DuckDB working file (DuckDB refuses options it does not know)
        props.keySet().removeIf(key -> key.toString().startsWith("bigquery."));
        dialect().connectionDefaults(url, props);
        return props;
    }

    /** A new connection to the cache, through the class path's drivers or those in {@link #driversDir}. */
    public Connection connect() throws SQLException {
        // bigquery://: the sync, status and export work on the local working file; CacheStore mirrors its commits
        String jdbcUrl = BigQueryTarget.is(url) ? BigQueryTarget.of(this).jdbcUrl() : url;
        try {
            return CacheDrivers.connect(jdbcUrl, connectionProperties(), driversDir);
        } catch (SQLException e) {
            throw dialect().connectFailure(url, e);
        }
    }

    /** The URL as it may be shown: without credentials. */
    public String displayUrl() {
        return CacheUrls.withoutCredentials(url);
    }

    /** Never the properties: they hold passwords, keys and tokens. */
    @Override
    public String toString() {
        return displayUrl();
    }
}
