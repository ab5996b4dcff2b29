package io.persistiqsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.persistiqsync.simulator.SimulatorSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Three `run` processes on one PostgreSQL with sync.cluster.enabled: Quartz's clustered job store hands
 * each fire to one node, a fire whose node is killed mid-sync is run again by another node and ends
 * with every record once, and a manual `sync` meanwhile is refused by the writer lock.
 */
@Tag("integration")
class ClusterTest {
    private static final Pattern FIRE = Pattern.compile("fire of (\\S+) runs on node (node-\\d)( \\(recovered)?");
    private static EmbeddedPostgres postgres;
    private final List<Process> nodes = new ArrayList<>();

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        if (postgres != null) postgres.close();
    }

    @AfterEach
    void stopNodes() throws InterruptedException {
        for (Process p : nodes) p.destroyForcibly();
        for (Process p : nodes) p.waitFor(20, TimeUnit.SECONDS);
    }

    /** A database of its own per test: the cache and Quartz's tables. */
    private static String database(String name) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return postgres.getJdbcUrl("postgres", name);
    }

    private Process node(SyncTestSupport env, Map<String, String> settings, int n) throws IOException {
        Map<String, String> own = new HashMap<>(settings);
        own.put("sync.cluster.node-id", "node-" + n);
        Process p = ChildJvm.start(own, "INFO", env.dir.resolve("node-" + n + ".log"), "run");
        nodes.add(p);
        return p;
    }

    private static Map<String, String> clusterSettings(SyncTestSupport env, String url, String cron) {
        Map<String, String> s = new HashMap<>(env.settings());
        s.put("cache.url", url);
        s.put("sync.cluster.enabled", "true");
        s.put("sync.cluster.checkin-interval", "PT1S");
        s.put("sync.cron", cron);
        return s;
    }

    /** Every "fire of T runs on node N" line of the nodes' logs: scheduled time, node, whether recovered. */
    private static List<String[]> fires(SyncTestSupport env, int nodeCount) throws IOException {
        List<String[]> out = new ArrayList<>();
        for (int n = 1; n <= nodeCount; n++) {
            Path log = env.dir.resolve("node-" + n + ".log");
            if (!Files.exists(log)) continue;
            Matcher m = FIRE.matcher(Files.readString(log));
            while (m.find()) out.add(new String[] {m.group(1), m.group(2), m.group(3) == null ? "" : "recovered"});
        }
        return out;
    }

    /** Three JVMs starting at once on a small, busy machine take a while: the clock starts when all are up. */
    private static void awaitStarted(SyncTestSupport env, int nodeCount) {
        Awaitility.await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (int n = 1; n <= nodeCount; n++) {
                Path log = env.dir.resolve("node-" + n + ".log");
                if (!Files.exists(log)) return false;
                String text = Files.readString(log);
                // Quartz joined the cluster, and the runtime said what it runs and when (its line once it is up)
                if (!text.contains("Scheduler persistiq-sync_$_node-" + n + " started") || !text.contains("SyncRuntime - running: syncs [")) return false;
            }
            return true;
        });
    }

    private static String logs(SyncTestSupport env, int nodeCount) throws IOException {
        StringBuilder all = new StringBuilder();
        for (int n = 1; n <= nodeCount; n++) {
            Path log = env.dir.resolve("node-" + n + ".log");
            if (Files.exists(log)) all.append("--- node-").append(n).append('\n').append(Files.readString(log));
        }
        return all.toString();
    }

    @Test
    void everyFireRunsOnceInTheClusterAndTheNodesShareThem() throws Exception {
        try (SyncTestSupport env = new SyncTestSupport(SimulatorSettings.builder().users(2).leads(150).campaigns(2))) {
            String url = database("fires");
            Map<String, String> settings = clusterSettings(env, url, "0/2 * * * * ?");
            settings.put("persistiq.streams", "users,leads");
            for (int n = 1; n <= 3; n++) node(env, settings, n);

            awaitStarted(env, 3);
            int firesBefore = fires(env, 3).size();
            // about 12 s of fires once the three nodes are up, then the node that synced most leaves (SIGTERM) and
            // the others go on: Quartz does not spread fires evenly, it hands each to whichever node asks first
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> fires(env, 3).size() >= firesBefore + 6);
            // the node that synced most (the others found the writer lock held)
            String busiest = countBy(rows(url, "SELECT node FROM _sync_runs").stream().map(r -> (String) r.get("node")).toList()).entrySet()
                    .stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            Process leaving = nodes.get(Integer.parseInt(busiest.substring(5)) - 1);
            leaving.destroy();
            assertTrue(leaving.waitFor(40, TimeUnit.SECONDS), "the node leaves on SIGTERM");
            int firesAfterLeaving = fires(env, 3).size();
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> fires(env, 3).size() >= firesAfterLeaving + 6
                    && rows(url, "SELECT DISTINCT node FROM _sync_runs").size() >= 2);
            for (Process p : nodes) p.destroy();
            for (Process p : nodes) assertTrue(p.waitFor(40, TimeUnit.SECONDS), "each node stops on SIGTERM");

            List<String[]> fires = fires(env, 3);
            String logs = logs(env, 3);
            Map<String, String> nodeOfFire = new TreeMap<>();
            for (String[] f : fires) {
                String before = nodeOfFire.put(f[0], f[1]);
                assertEquals(null, before, () -> "the fire of " + f[0] + " ran on " + before + " and on " + f[1] + "\n" + logs);
            }
            List<Instant> times = nodeOfFire.keySet().stream().map(Instant::parse).sorted().toList();
            long expected = Duration.between(times.get(0), times.get(times.size() - 1)).toSeconds() / 2 + 1;
            assertEquals(expected, times.size(), () -> "a fire every 2 s from the first to the last, none missing: " + nodeOfFire);
            assertTrue(new HashSet<>(nodeOfFire.values()).size() >= 2, () -> "more than one node ran fires: " + nodeOfFire);

            List<Map<String, Object>> runs = rows(url, "SELECT stream, status, node FROM _sync_runs ORDER BY id");
            Set<Object> runNodes = new HashSet<>();
            for (Map<String, Object> r : runs) {
                runNodes.add(r.get("node"));
                assertTrue(Set.of("succeeded", "interrupted").contains(r.get("status")), r::toString);
            }
            assertTrue(runNodes.size() >= 2, () -> "_sync_runs names the nodes: " + runs);
            assertTrue(Set.of("node-1", "node-2", "node-3").containsAll(runNodes), runNodes::toString);
            long leadRuns = runs.stream().filter(r -> r.get("stream").equals("leads")).count();
            // every fire synced, or found the account's sync still running (the writer lock held by another node, or on
            // its own node, which runs up to sync.max-parallel-accounts fires at once) and was skipped
            long skipped = Pattern.compile("(holds the cache's writer lock .*|a sync of account \\w+ is running): this one is skipped").matcher(logs)
                    .results().count();
            assertTrue(leadRuns + skipped >= times.size() - 2 && leadRuns + skipped <= times.size(),
                    () -> leadRuns + " runs of leads and " + skipped + " skipped for " + times.size() + " fires");
            assertEquals(0, (long) rows(url, "SELECT count(*) AS n FROM _sync_runs WHERE status = 'running'").get(0).get("n"));
            assertEquals(150L, rows(url, "SELECT count(*) AS n FROM leads").get(0).get("n"));
            System.out.println("cluster fires: " + times.size() + " (" + skipped + " skipped: a sync ran) over " + Duration.between(times.get(0), times.get(times.size() - 1)).toSeconds()
                    + " s, by node " + countBy(nodeOfFire.values()));
        }
    }

    @Test
    void aKilledNodesSyncIsRunAgainByAnotherNodeAndAManualSyncMeanwhileIsRefused() throws Exception {
        int leads = 3000;
        try (SyncTestSupport env = new SyncTestSupport(SimulatorSettings.builder().users(2).leads(leads).campaigns(1)
                .latency(Duration.ofMillis(250)))) {
            String url = database("killed");
            // a fire every 30 s: the one after the kill is Quartz's recovery (in ~10 s), well before the next
            Map<String, String> settings = clusterSettings(env, url, "0/30 * * * * ?");
            settings.put("persistiq.streams", "leads");
            settings.put("cache.pages-per-commit", "2");
            for (int n = 1; n <= 3; n++) node(env, settings, n);

            Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250))
                    .until(() -> !fires(env, 3).isEmpty() && env.simulator.requests().count("/v1/leads") >= 4);
            String[] fire = fires(env, 3).get(0);
            Process victim = nodes.get(Integer.parseInt(fire[1].substring(5)) - 1);
            victim.destroyForcibly(); // SIGKILL: no shutdown hook, no last words
            assertTrue(victim.waitFor(10, TimeUnit.SECONDS));
            Instant killed = Instant.now();
            long committedBefore = (long) rows(url, "SELECT count(*) AS n FROM leads").get(0).get("n");

            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> fires(env, 3).stream().anyMatch(f -> f[2].equals("recovered")));
            Duration takeover = Duration.between(killed, Instant.now());
            String[] recovered = fires(env, 3).stream().filter(f -> f[2].equals("recovered")).findFirst().orElseThrow();
            assertEquals(fire[0], recovered[0], "the same fire, run again");
            assertTrue(!recovered[1].equals(fire[1]), "by another node");

            // a manual sync on "another host" while the cluster syncs the account: refused by the writer lock, with the reason
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> env.simulator.requests().count("/v1/leads") > 2 + committedBefore / 100);
            env.set("cache.url", url);
            SyncTestSupport.Result manual = env.cli("sync", "--streams", "leads", "--progress", "off");
            assertEquals(1, manual.exitCode(), manual.out() + manual.err());
            assertTrue(manual.out().contains("skipped: another sync of this account holds the cache's writer lock (node " + recovered[1]),
                    manual.out() + manual.err());
            env.simulator.setLatency(Duration.ZERO);

            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> (long) rows(url, "SELECT count(*) AS n FROM _sync_runs WHERE status = 'succeeded'").get(0).get("n") >= 1);
            Duration completed = Duration.between(killed, Instant.now());
            List<Map<String, Object>> runs = rows(url, "SELECT id, status, node, error FROM _sync_runs ORDER BY id");
            assertEquals("interrupted", runs.get(0).get("status"), runs::toString);
            assertEquals(fire[1], runs.get(0).get("node"));
            assertTrue(((String) runs.get(0).get("error")).startsWith("the process on node " + fire[1] + " stopped before the run finished"),
                    runs::toString);
            assertEquals("succeeded", runs.get(1).get("status"), runs::toString);
            assertEquals(recovered[1], runs.get(1).get("node"));
            assertTrue(completed.compareTo(Duration.ofMinutes(1)) < 0, "completed within a minute of the kill: " + completed);

            Map<String, Object> counts = rows(url, "SELECT count(*) AS n, count(DISTINCT id) AS ids FROM leads").get(0);
            assertEquals((long) leads, counts.get("n"), "every lead");
            assertEquals((long) leads, counts.get("ids"), "once");
            assertEquals(new HashSet<>(env.simulator.account().liveLeadIds()),
                    new HashSet<>(rows(url, "SELECT id FROM leads").stream().map(r -> r.get("id")).toList()));
            assertTrue(committedBefore > 0 && committedBefore < leads, "the kill came mid-sync, after some commits: " + committedBefore);
            // status names the node of each run
            SyncTestSupport.Result status = env.cli("status", "--streams", "leads", "--runs", "2");
            assertTrue(status.out().lines().anyMatch(l -> l.contains(" succeeded ") && l.endsWith(" " + recovered[1])), status.out());
            assertTrue(status.out().lines().anyMatch(l -> l.contains(" interrupted ") && l.endsWith(" " + fire[1])), status.out());
            System.out.println("kill -9: another node took the fire over after " + takeover.toMillis() + " ms and completed it after "
                    + completed.toMillis() + " ms");
        }
    }

    private static Map<String, Long> countBy(Iterable<String> values) {
        Map<String, Long> out = new TreeMap<>();
        for (String v : values) out.merge(v, 1L, Long::sum);
        return out;
    }

    private static List<Map<String, Object>> rows(String url, String sql) throws SQLException {
        try {
            return SyncTestSupport.rows(url, sql);
        } catch (SQLException e) {
            if (e.getMessage().contains("does not exist")) return List.of(Map.of("n", 0L));
            throw e;
        }
    }
}
