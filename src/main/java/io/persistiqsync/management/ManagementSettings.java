package io.persistiqsync.management;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;

import org.apache.camel.spi.PropertiesComponent;

import io.persistiqsync.config.SyncSettings.ConfigurationException;

/**
 * The operations settings (remote JMX, progress), read and checked once at start like
 * {@link io.persistiqsync.config.SyncSettings}. A key missing from an older application.properties takes its default.
 */
public record ManagementSettings(
        boolean remoteJmx,
        String remoteJmxHost,
        int remoteJmxPort,
        boolean remoteJmxAuthenticate,
        Path passwordFile,
        Path accessFile,
        boolean remoteJmxSsl,
        Path sslKeystore,
        String sslKeystorePassword,
        Duration progressInterval) {

    public static ManagementSettings from(PropertiesComponent properties) {
        Reader r = new Reader(properties);
        boolean remote = r.bool("jmx.remote.enabled", false);
        boolean authenticate = r.bool("jmx.remote.authenticate", true);
        Path passwords = r.path("jmx.remote.password-file");
        boolean ssl = r.bool("jmx.remote.ssl", false);
        Path keystore = r.path("jmx.remote.ssl-keystore");
        if (remote && authenticate && passwords == null) {
            throw new ConfigurationException("jmx.remote.password-file",
                    "is required while jmx.remote.authenticate is true (or set jmx.remote.authenticate=false on a trusted network)");
        }
        if (remote && passwords != null && !Files.isReadable(passwords)) {
            throw new ConfigurationException("jmx.remote.password-file", "'" + passwords + "' cannot be read");
        }
        if (remote && ssl && keystore != null && !Files.isReadable(keystore)) {
            throw new ConfigurationException("jmx.remote.ssl-keystore", "'" + keystore + "' cannot be read");
        }
        int port = r.integer("jmx.remote.port", 9010);
        if (port < 0 || port > 65_535) throw new ConfigurationException("jmx.remote.port", "'" + port + "' is not a port number");
        Duration interval = r.duration("sync.progress-interval", Duration.ofSeconds(10));
        if (interval.isZero() || interval.isNegative()) throw new ConfigurationException("sync.progress-interval", "must be positive");
        return new ManagementSettings(remote, r.text("jmx.remote.host"), port, authenticate, passwords, r.path("jmx.remote.access-file"),
                ssl, keystore, r.text("jmx.remote.ssl-keystore-password"), interval);
    }

    private record Reader(PropertiesComponent properties) {
        String text(String key) {
            return properties.resolveProperty(key).map(String::trim).orElse("");
        }

        boolean bool(String key, boolean otherwise) {
            String v = text(key);
            if (v.isEmpty()) return otherwise;
            if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) return Boolean.parseBoolean(v);
            throw new ConfigurationException(key, "'" + v + "' is not true or false");
        }

        int integer(String key, int otherwise) {
            String v = text(key);
            if (v.isEmpty()) return otherwise;
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new ConfigurationException(key, "'" + v + "' is not a whole number");
            }
        }

        Path path(String key) {
            String v = text(key);
            return v.isEmpty() ? null : Path.of(v);
        }

        Duration duration(String key, Duration otherwise) {
            String v = text(key);
            if (v.isEmpty()) return otherwise;
            try {
                return Duration.parse(v);
            } catch (DateTimeParseException e) {
                throw new ConfigurationException(key, "'" + v + "' is not an ISO-8601 duration such as PT10S");
            }
        }
    }
}
