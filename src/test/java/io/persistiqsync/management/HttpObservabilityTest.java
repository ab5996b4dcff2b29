package io.persistiqsync.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.persistiqsync.SyncTestSupport;
import io.persistiqsync.api.StreamCatalog;
import io.persistiqsync.runtime.SyncRuntime;
import io.persistiqsync.simulator.SimulatorSettings;
import io.persistiqsync.sync.SyncRequest;

/**
 * Kubernetes probes and Prometheus reach the runtime over HTTP: Camel's management server, switched on
 * by Camel's own settings, serves the health checks and the per-stream counters the MBeans have.
 */
class HttpObservabilityTest {

    @Test
    void healthAndPerStreamMetricsOverHttp() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (SyncTestSupport env = new SyncTestSupport(SimulatorSettings.builder().users(2).leads(120).campaigns(1))) {
            env.set("camel.management.enabled", "true").set("camel.management.port", Integer.toString(port))
                    .set("persistiq.max-requests-per-minute", "120"); // our pacing: a request every 500 ms
            try (SyncRuntime runtime = env.start()) {
                HttpClient http = HttpClient.newHttpClient();
                String base = "http://127.0.0.1:" + port + "/observe";
                assertEquals(200, get(http, base + "/health/live").statusCode());

                assertTrue(runtime.sync(new SyncRequest(StreamCatalog.select(List.of("users", "leads")), false, false)).succeeded());

                HttpResponse<String> ready = get(http, base + "/health/ready");
                assertEquals(200, ready.statusCode(), ready.body());
                assertTrue(ready.body().contains("\"UP\""), ready.body());
                String metrics = get(http, base + "/metrics").body();
                assertTrue(metrics.contains("persistiq_records_total{outcome=\"new\",stream=\"leads\"} 120.0"), metrics);
                assertTrue(metrics.contains("persistiq_pages_total{stream=\"leads\"} 2.0"), metrics);
                assertTrue(metrics.contains("persistiq_last_run_succeeded{stream=\"users\"} 1.0"), metrics);
                assertTrue(metrics.contains("persistiq_last_run_succeeded{stream=\"tags\"} -1.0"), "a stream never run says so");
                assertTrue(metrics.contains("persistiq_rate_limited_total{stream=\"leads\"} 0.0"), metrics);
                assertTrue(metrics.contains("persistiq_rate_limit_waits_total{stream=\"leads\"} 0.0"), "our own pacing is no rate-limit wait: " + metrics);
                Matcher pacing = Pattern.compile("persistiq_pacing_waits_total\\{stream=\"leads\"} (\\d+)\\.0").matcher(metrics);
                assertTrue(pacing.find() && Long.parseLong(pacing.group(1)) >= 1, "the second leads page waited for our pacing: " + metrics);
                assertTrue(!metrics.contains(SyncTestSupport.KEY), "the key is never a label or a value");
            }
        }
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
