package io.persistiqsync.management;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.utils.DBConnectionManager;

import io.persistiqsync.config.ClusterSettings;

/**
 * The nodes of the Quartz cluster as its own table has them (QRTZ_SCHEDULER_STATE: one row per node,
 * its check-in time refreshed every check-in interval), read over Quartz's own connections.
 */
final class ClusterMembers {
    /** Quartz takes a node for dead once it is silent for its check-in interval plus this (JobStoreSupport). */
    static final Duration GRACE = Duration.ofMillis(7500);

    private ClusterMembers() {
    }

    record Member(String node, Instant lastCheckin, Duration interval) {
        Duration silence() {
            return Duration.between(lastCheckin, Instant.now());
        }

        boolean takenForDead() {
            return silence().compareTo(interval.plus(GRACE)) > 0;
        }

        @Override
        public String toString() {
            return node + " (checked in " + seconds(silence()) + " s ago, every " + seconds(interval) + " s"
                    + (takenForDead() ? "; silent too long: taken for dead, its fires are recovered" : "") + ")";
        }

        private static String seconds(Duration d) {
            return String.format(java.util.Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
        }
    }

    /** The members, by node id; empty when not clustered or the table cannot be read. */
    static List<Member> read(Scheduler scheduler) {
        List<Member> out = new ArrayList<>();
        if (scheduler == null) return out;
        try (Connection c = DBConnectionManager.getInstance().getConnection(ClusterSettings.DATA_SOURCE);
                PreparedStatement s = c.prepareStatement("SELECT instance_name, last_checkin_time, checkin_interval FROM qrtz_scheduler_state"
                        + " WHERE sched_name = ? ORDER BY instance_name")) {
            s.setString(1, scheduler.getSchedulerName());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) out.add(new Member(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), Duration.ofMillis(rs.getLong(3))));
            }
            if (!c.getAutoCommit()) c.commit();
        } catch (SQLException | SchedulerException e) {
            return out;
        }
        return out;
    }
}
