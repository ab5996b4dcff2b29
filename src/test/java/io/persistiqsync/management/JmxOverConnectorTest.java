package io.persistiqsync.management;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.Attribute;
import javax.management.MBeanAttributeInfo;
import javax.management.ObjectName;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.persistiqsync.runtime.SyncRuntime;
import io.persistiqsync.SyncTestSupport;
import io.persistiqsync.simulator.Fault;
import io.persistiqsync.simulator.SimulatorSettings;

/**
 * The MBeans as an operator sees them: through the remote JMX connector on loopback, with a password
 * file, in a runtime syncing from the simulator.
 */
class JmxOverConnectorTest {
    static final int LEADS = 800;
    static SyncTestSupport env;
    static SyncRuntime runtime;
    static int port;
    static JmxClient jmx;

    @BeforeAll
    static void start() throws Exception {
        env = new SyncTestSupport(SimulatorSettings.builder().users(3).leads(LEADS).campaigns(4));
        port = JmxClient.freePort();
        Path passwords = Files.writeString(env.dir.resolve("jmx.password"), "monitor s3cret\nviewer v1ew\n");
        Path access = Files.writeString(env.dir.resolve("jmx.access"), "monitor readwrite\nviewer readonly\n");
        env.set("jmx.remote.enabled", "true").set("jmx.remote.host", "127.0.0.1").set("jmx.remote.port", Integer.toString(port))
                .set("jmx.remote.password-file", passwords.toString()).set("jmx.remote.access-file", access.toString())
                .set("persistiq.streams", "users,leads")
                .set("cache.url", env.cacheUrl + "?user=admin&password=hunter2");
        runtime = env.start();
        jmx = JmxClient.connect(port, "monitor", "s3cret");
    }

    @AfterAll
    static void stop() throws Exception {
        if (jmx != null) jmx.close();
        if (runtime != null) runtime.close();
        env.close();
    }

    @BeforeEach
    void noSyncRunning() {
        env.simulator.setLatency(Duration.ZERO);
        await().atMost(Duration.ofSeconds(30)).until(() -> !(Boolean) jmx.runtime("SyncRunning"));
    }

    @Test
    void camelsOwnMBeansAreThereWithTheirStatistics() throws Exception {
        Set<ObjectName> contexts = jmx.server.queryNames(new ObjectName("org.apache.camel:type=context,*"), null);
        assertEquals(1, contexts.size(), contexts::toString);
        Set<ObjectName> routes = jmx.server.queryNames(new ObjectName("org.apache.camel:type=routes,*"), null);
        assertTrue(routes.stream().anyMatch(n -> n.getKeyProperty("name").contains("sync-stream")), routes::toString);
        assertFalse(jmx.server.queryNames(new ObjectName("org.apache.camel:type=processors,*"), null).isEmpty(), "processor MBeans");
        assertFalse(jmx.server.queryNames(new ObjectName("org.apache.camel:type=health,*"), null).isEmpty(), "Camel's health MBean");

        ObjectName syncAll = routes.stream().filter(n -> n.getKeyProperty("name").contains("sync-all")).findFirst().orElseThrow();
        long before = ((Number) jmx.get(syncAll, "ExchangesCompleted")).longValue();
        jmx.invoke(Operations.streamName("lead_statuses"), "syncNow");
        await().atMost(Duration.ofSeconds(30)).until(() -> ((Number) jmx.get(syncAll, "ExchangesCompleted")).longValue() > before);
    }

    @Test
    void runtimeShowsScheduleAndCacheWithoutCredentials() throws Exception {
        assertEquals("0 0 * * * ?", jmx.runtime("Cron"));
        assertEquals(false, jmx.runtime("ScheduleEnabled"), "one-shot runtime: the schedule route does not run");
        assertEquals("", jmx.runtime("NextFireTime"));
        String cacheUrl = (String) jmx.runtime("CacheUrl");
        assertTrue(cacheUrl.startsWith("jdbc:duckdb:") && cacheUrl.contains("password=***") && !cacheUrl.contains("hunter2"), cacheUrl);
        assertEquals("users,leads", jmx.runtime("Streams"));
    }

    @Test
    void attributesMoveDuringARunAndSettleAfterIt() throws Exception {
        env.simulator.faults().inject("/v1/leads", Fault.serverErrorHtml(502), 1);
        env.simulator.faults().inject("/v1/leads", Fault.RATE_LIMITED_NO_HEADERS, 1);
        env.simulator.setLatency(Duration.ofMillis(150));
        long runsBefore = jmx.streamLong("leads", "Runs");
        long totalPagesBefore = jmx.streamLong("leads", "TotalPages");

        // a full refresh reads every page (an incremental sync after the first reads only changes)
        assertEquals("full refresh of leads started", jmx.invoke(Operations.streamName("leads"), "fullRefresh"));
        AtomicLong midRunPages = new AtomicLong();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
            long pages = jmx.streamLong("leads", "LastRunPages");
            boolean moving = (Boolean) jmx.stream("leads", "Running") && pages >= 2;
            if (moving) midRunPages.set(pages);
            return moving;
        });
        assertEquals("running", jmx.stream("leads", "LastStatus"));
        assertEquals("leads", jmx.runtime("CurrentStream"));
        assertEquals("", jmx.stream("leads", "LastRunFinished"), "no finish while running");
        assertTrue(jmx.streamLong("leads", "LastRunUnchanged") + jmx.streamLong("leads", "LastRunNew") > 0, "records counted as they come");

        await().atMost(Duration.ofSeconds(60)).until(() -> jmx.streamLong("leads", "Runs") == runsBefore + 1);
        env.simulator.setLatency(Duration.ZERO);
        assertEquals("succeeded", jmx.stream("leads", "LastStatus"));
        assertEquals(false, jmx.stream("leads", "Running"));
        assertFalse(((String) jmx.stream("leads", "LastRunFinished")).isEmpty());
        long pages = jmx.streamLong("leads", "LastRunPages");
        assertEquals(LEADS / 100, pages, "every page of the run");
        assertTrue(midRunPages.get() < pages, "seen mid-run: " + midRunPages.get());
        assertEquals(totalPagesBefore + pages, jmx.streamLong("leads", "TotalPages"));
        assertEquals(LEADS, jmx.streamLong("leads", "LastRunNew"), "state forgotten: every lead is written anew");
        assertEquals("full refresh", jmx.stream("leads", "LastMode"));
        assertEquals(2, jmx.streamLong("leads", "LastRunRetries"), "one 502 and one 429, each retried once");
        assertEquals(1, jmx.streamLong("leads", "LastRunRateLimited"));
        assertEquals(pages + 2, jmx.streamLong("leads", "LastRunRequests"));
        assertTrue(jmx.streamLong("leads", "LastRunRateLimitWaits") >= 1);
        assertTrue(jmx.streamLong("leads", "LastRunRateLimitWaitMillis") >= 200, "waited out the 429's fallback wait (300 ms)");
        assertTrue((Double) jmx.stream("leads", "LastRunRecordsPerSecond") > 0);
        assertTrue((Double) jmx.stream("leads", "LastRunSeconds") > 0);
        assertEquals("", jmx.stream("leads", "LastError"));
    }

    @Test
    void syncNowSyncsOneStream() throws Exception {
        long runsBefore = jmx.streamLong("users", "Runs");
        long totalBefore = jmx.streamLong("users", "TotalNew") + jmx.streamLong("users", "TotalUnchanged");
        assertEquals("sync of users started", jmx.invoke(Operations.streamName("users"), "syncNow"));
        await().atMost(Duration.ofSeconds(30)).until(() -> jmx.streamLong("users", "Runs") == runsBefore + 1);
        assertEquals("succeeded", jmx.stream("users", "LastStatus"));
        assertEquals(3, jmx.streamLong("users", "LastRunNew") + jmx.streamLong("users", "LastRunUnchanged"));
        assertEquals(totalBefore + 3, jmx.streamLong("users", "TotalNew") + jmx.streamLong("users", "TotalUnchanged"));
    }

    @Test
    void syncAllNowSyncsTheConfiguredStreams() throws Exception {
        long syncs = ((Number) jmx.runtime("SyncsStarted")).longValue();
        long usersRuns = jmx.streamLong("users", "Runs");
        long leadsRuns = jmx.streamLong("leads", "Runs");
        long campaignsRuns = jmx.streamLong("campaigns", "Runs");
        assertEquals("sync of users, leads started", jmx.invoke(Operations.runtimeName(), "syncAllNow"));
        await().atMost(Duration.ofSeconds(60)).until(() -> jmx.streamLong("leads", "Runs") == leadsRuns + 1);
        assertEquals(syncs + 1, ((Number) jmx.runtime("SyncsStarted")).longValue());
        assertEquals(usersRuns + 1, jmx.streamLong("users", "Runs"));
        assertEquals(campaignsRuns, jmx.streamLong("campaigns", "Runs"), "not a configured stream");
        assertFalse(((String) jmx.runtime("LastSyncStarted")).isEmpty());
    }

    @Test
    void theApiKeyIsInNoAttribute() throws Exception {
        jmx.invoke(Operations.streamName("users"), "syncNow");
        await().atMost(Duration.ofSeconds(30)).until(() -> jmx.streamLong("users", "Runs") > 0 && !(Boolean) jmx.runtime("SyncRunning"));
        int read = 0;
        for (String domain : new String[] {Operations.DOMAIN, "org.apache.camel"}) {
            for (ObjectName name : jmx.server.queryNames(new ObjectName(domain + ":*"), null)) {
                String[] attributes = Arrays.stream(jmx.server.getMBeanInfo(name).getAttributes()).filter(MBeanAttributeInfo::isReadable)
                        .map(MBeanAttributeInfo::getName).toArray(String[]::new);
                for (Attribute a : jmx.server.getAttributes(name, attributes).asList()) {
                    read++;
                    assertFalse(String.valueOf(a.getValue()).contains(SyncTestSupport.KEY), name + " " + a.getName());
                    assertFalse(String.valueOf(a.getValue()).contains("hunter2"), name + " " + a.getName());
                }
            }
        }
        assertTrue(read > 100, "read " + read + " attributes");
    }

    @Test
    void aReadOnlyUserReadsButCannotSync() throws Exception {
        try (JmxClient viewer = JmxClient.connect(port, "viewer", "v1ew")) {
            assertEquals("users,leads", viewer.runtime("Streams"));
            assertThrows(SecurityException.class, () -> viewer.invoke(Operations.runtimeName(), "syncAllNow"));
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        assertThrows(SecurityException.class, () -> JmxClient.connect(port, "monitor", "wrong").close());
        assertThrows(SecurityException.class, () -> JmxClient.connect(port, null, null).close());
    }
}
