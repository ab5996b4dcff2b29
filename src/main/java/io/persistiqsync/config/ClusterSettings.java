package io.persistiqsync.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.format.DateTimeParseException;

import org.apache.camel.spi.PropertiesComponent;

import io.persistiqsync.config.SyncSettings.ConfigurationException;

/**
 * sync.cluster.*: whether the schedule runs on Quartz's clustered JDBC job store, in which PostgreSQL
 * database, and who this node is. The node id is written into each _sync_runs row and is this node's
 * Quartz instance id, so it must differ between the nodes of a cluster (host name + pid does).
 */
public record ClusterSettings(boolean enabled, String url, String user, String password, String nodeId, Duration checkinInterval) {
    /** Quartz's scheduler name: the same on every node (the cluster is the nodes sharing it). */
    public static final String SCHEDULER_NAME = "persistiq-sync";
    /** Quartz's name for the connections it takes (its DBConnectionManager). */
    public static final String DATA_SOURCE = "persistiqCluster";

    public static ClusterSettings from(PropertiesComponent properties) {
        String node = text(properties, "sync.cluster.node-id");
        String checkin = text(properties, "sync.cluster.checkin-interval");
        Duration interval;
        try {
            interval = Duration.parse(checkin);
        } catch (DateTimeParseException e) {
            throw new ConfigurationException("sync.cluster.checkin-interval", "'" + checkin + "' is not an ISO-8601 duration such as PT5S");
        }
        if (interval.toMillis() < 100) throw new ConfigurationException("sync.cluster.checkin-interval", "'" + checkin + "' must be at least PT0.1S");
        String url = text(properties, "sync.cluster.url");
        if (!url.isEmpty() && !url.startsWith("jdbc:postgresql:")) {
            throw new ConfigurationException("sync.cluster.url", "'" + url + "' must be a PostgreSQL JDBC URL (jdbc:postgresql://...)");
        }
        return new ClusterSettings(Boolean.parseBoolean(text(properties, "sync.cluster.enabled")), url, text(properties, "sync.cluster.user"),
                text(properties, "sync.cluster.password"), node.isEmpty() ? defaultNodeId() : node, interval);
    }

    /** host name + pid: unique per process on a network, and says where to look. */
    static String defaultNodeId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "localhost");
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    private static String text(PropertiesComponent properties, String key) {
        return properties.resolveProperty(key).map(String::trim).orElse("");
    }

    /** Never the password. */
    @Override
    public String toString() {
        return "cluster " + (enabled ? "on" : "off") + ", node " + nodeId;
    }
}
