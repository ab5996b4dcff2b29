package io.persistiqsync.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.quartz.Scheduler;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobListener;
import org.quartz.utils.DBConnectionManager;
import org.quartz.SchedulerException;
import org.quartz.utils.C3p0PoolingConnectionProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.persistiqsync.api.Secrets;
import io.persistiqsync.cache.CacheUrls;
import io.persistiqsync.config.ClusterSettings;
import io.persistiqsync.config.SyncSettings;
import io.persistiqsync.config.SyncSettings.ConfigurationException;

/**
 * sync.cluster.enabled: the schedule's Quartz scheduler (camel-quartz's) on Quartz's clustered JDBC job
 * store in PostgreSQL. Every node runs the same job; Quartz hands each fire to one node (row locks in
 * its tables), and when a node stops checking in, another one recovers the fire it was running
 * (requestsRecovery: recoverableJob=true on the route), which resumes the sync from its last commit.
 * Only `run` joins the cluster: one-shot commands keep Quartz's in-memory store, so they never take a
 * fire they would not run.
 */
final class ClusterScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterScheduler.class);
    /** the DDL Quartz ships for PostgreSQL */
    static final String QUARTZ_DDL = "org/quartz/impl/jdbcjobstore/tables_postgres.sql";

    private ClusterScheduler() {
    }

    /** Sets camel-quartz up for the cluster when `run` has it switched on; answers whether it did. */
    static boolean install(CamelContext context, ClusterSettings cluster, SyncSettings settings, Secrets secrets) {
        boolean scheduled = SyncSettings.scheduleEnabled(context.getPropertiesComponent());
        if (!cluster.enabled() || !scheduled) return false;
        Database db = database(cluster, settings);
        try {
            createTablesIfMissing(db);
        } catch (SQLException | IOException e) {
            throw new ConfigurationException(db.key(), "= " + db.shown() + ": cannot prepare Quartz's tables: " + secrets.redact(e.getMessage()));
        }
        // the pool is handed to Quartz here, so the password never sits in Quartz's properties (camel-quartz logs those)
        try {
            // scheduler thread, check-ins, misfire handler and the one worker each take one at times
            C3p0PoolingConnectionProvider pool = new C3p0PoolingConnectionProvider("org.postgresql.Driver", db.url(), db.user(), db.password(), 5,
                    "SELECT 1");
            // a connection left from before a database restart is tested and replaced, not handed to Quartz
            pool.getDataSource().setTestConnectionOnCheckout(true);
            DBConnectionManager.getInstance().addConnectionProvider(ClusterSettings.DATA_SOURCE, pool);
        } catch (SQLException | SchedulerException e) {
            throw new ConfigurationException(db.key(), "= " + db.shown() + ": " + secrets.redact(e.getMessage()));
        }
        QuartzComponent quartz = context.getComponent("quartz", QuartzComponent.class);
        int workers = context.getPropertiesComponent().resolveProperty("sync.max-parallel-accounts").map(String::trim).map(Integer::parseInt)
                .orElse(1);
        quartz.setProperties(properties(cluster, workers));
        // the scheduler name is the cluster's: the same on every node, not suffixed with the Camel context's
        quartz.setPrefixInstanceName(false);
        quartz.addScheduleInitTask(scheduler -> scheduler.getListenerManager().addJobListener(new FireLog(cluster.nodeId())));
        // a node that stops takes no more fires from the moment it begins to (its routes stop before camel-quartz
        // shuts the scheduler down: a fire taken in between would find no route and be lost); the fire it runs goes on
        context.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) throws Exception {
                Scheduler scheduler = quartz.getScheduler();
                if (scheduler != null && scheduler.isStarted() && !scheduler.isShutdown()) scheduler.standby();
            }

            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof CamelEvent.CamelContextStoppingEvent;
            }
        });
        LOG.info("node {} joins the Quartz cluster in {} (check-in every {})", cluster.nodeId(), db.shown(), cluster.checkinInterval());
        return true;
    }

    /** @param workers syncs a node runs at once: sync.max-parallel-accounts (each of another account) */
    static Properties properties(ClusterSettings cluster, int workers) {
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", ClusterSettings.SCHEDULER_NAME);
        p.setProperty("org.quartz.scheduler.instanceId", cluster.nodeId());
        // as many syncs at a time per node as accounts may sync side by side (a fire waits for its sync): a node
        // with all its workers busy leaves the next fire to the others
        p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(workers));
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.setProperty("org.quartz.jobStore.dataSource", ClusterSettings.DATA_SOURCE);
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        // how often this node says it is alive; a node silent for this long + 7.5 s is taken for dead and its fires recovered
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", Long.toString(cluster.checkinInterval().toMillis()));
        // a fire no node could take in time (all down, all busy) still runs once when one can (camel-quartz's cron
        // triggers fire once and proceed); later than this it counts as misfired
        p.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
        // taking a trigger and marking it fired under the same row lock: two nodes never fire the same one
        p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        return p;
    }

    private record Database(String key, String url, String user, String password) {
        String shown() {
            return CacheUrls.withoutCredentials(url);
        }
    }

    /** sync.cluster.url when set, else the cache's own database when it is PostgreSQL. */
    private static Database database(ClusterSettings cluster, SyncSettings settings) {
        if (!cluster.url().isEmpty()) return new Database("sync.cluster.url", cluster.url(), cluster.user(), cluster.password());
        if (!settings.cacheUrl().startsWith("jdbc:postgresql:")) {
            throw new ConfigurationException("sync.cluster.url", "is required: the cache (cache.url) is not PostgreSQL, and Quartz's cluster needs one");
        }
        return new Database("cache.url", settings.cacheUrl(), settings.cacheUser(), settings.cachePassword());
    }

    /**
     * Quartz's own tables from the script in its jar, when they are not there yet. Under a transaction-level
     * advisory lock: nodes starting together create them once (PostgreSQL's DDL is transactional).
     */
    static void createTablesIfMissing(Database db) throws SQLException, IOException {
        Properties props = new Properties();
        if (!db.user().isEmpty()) props.setProperty("user", db.user());
        if (!db.password().isEmpty()) props.setProperty("password", db.password());
        try (Connection c = DriverManager.getConnection(db.url(), props); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("SELECT pg_advisory_xact_lock(7263520341)");
            boolean present;
            try (ResultSet rs = s.executeQuery("SELECT to_regclass('qrtz_scheduler_state') IS NOT NULL")) {
                present = rs.next() && rs.getBoolean(1);
            }
            if (!present) {
                List<String> statements = createStatements();
                for (String sql : statements) s.execute(sql);
                LOG.info("created Quartz's tables ({} statements of {})", statements.size(), QUARTZ_DDL);
            }
            c.commit();
        }
    }

    /** The script's CREATE statements (its DROPs are for a fresh install by hand, never run here). */
    static List<String> createStatements() throws IOException {
        String script;
        try (InputStream in = org.quartz.Scheduler.class.getClassLoader().getResourceAsStream(QUARTZ_DDL)) {
            if (in == null) throw new IOException(QUARTZ_DDL + " is not in the Quartz jar");
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        StringBuilder sql = new StringBuilder();
        for (String line : script.split("\n")) {
            if (!line.trim().startsWith("--")) sql.append(line).append('\n');
        }
        List<String> out = new ArrayList<>();
        for (String statement : sql.toString().split(";")) {
            String s = statement.trim();
            if (s.regionMatches(true, 0, "CREATE", 0, 6)) out.add(s);
        }
        return out;
    }

    /**
     * One line per fire this node runs: which fire (its scheduled time, the same for a fire run again
     * after its node died) and whether it is a recovery. What an operator greps for across the nodes' logs.
     */
    static final class FireLog implements JobListener {
        private final String node;

        FireLog(String node) {
            this.node = node;
        }

        @Override
        public String getName() {
            return "persistiq-sync-fires";
        }

        @Override
        public void jobToBeExecuted(JobExecutionContext context) {
            LOG.info("fire of {} runs on node {}{}", context.getScheduledFireTime().toInstant(), node,
                    context.isRecovering() ? " (recovered: the node that had it stopped checking in)" : "");
        }

        @Override
        public void jobExecutionVetoed(JobExecutionContext context) {
        }

        @Override
        public void jobWasExecuted(JobExecutionContext context, JobExecutionException failure) {
        }
    }
}
