package io.persistiqsync.simulator;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A PersistIQ API served over real HTTP on 127.0.0.1, for tests, demos and benchmarks.
 *
 * <pre>{@code
 * try (var simulator = PersistIqSimulator.start(SimulatorSettings.builder().leads(5_000).build())) {
 *     URI api = simulator.baseUrl(); // e.g. http://127.0.0.1:54321; paths start with /v1/
 *     simulator.account().editLeads(10);
 *     simulator.faults().inject("/v1/leads", Fault.RATE_LIMITED, 1);
 * }
 * }</pre>
 */
public final class PersistIqSimulator implements AutoCloseable {

    /** Enough for parallel clients and a few SLOW faults at once. */
    private static final int WORKER_THREADS = 16;
    private static final int BACKLOG = 256;

    private final SimulatorSettings settings;
    private final SimulatedAccount account;
    /** every account by name, the main one included */
    private final Map<String, SimulatedAccount> accounts = new LinkedHashMap<>();
    private final Map<String, RateLimiter> limiters = new LinkedHashMap<>();
    private final FaultPlan faults = new FaultPlan();
    private final RequestLog requests = new RequestLog();
    private final RateLimiter limiter;
    private final AtomicReference<Duration> latency;
    private final HttpServer server;
    private final ExecutorService workers;
    private final URI baseUrl;

    private PersistIqSimulator(SimulatorSettings settings) {
        this.settings = settings;
        this.account = new SimulatedAccount(settings);
        this.limiter = new RateLimiter(settings.rateLimitPerWindow(), settings.rateLimitWindow(), settings.rateLimitWindowPhase());
        this.latency = new AtomicReference<>(settings.latency());
        try {
            InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
            this.server = HttpServer.create(new InetSocketAddress(loopback, settings.port()), BACKLOG);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a literal address always resolves", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + settings.port(), e);
        }
        this.baseUrl = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        String linkBase = settings.advertisedHost() == null ? baseUrl.toString() : withScheme(settings.advertisedHost());
        Map<String, ApiHandler.Tenant> byKey = new HashMap<>();
        ApiHandler.Tenant main = new ApiHandler.Tenant(SimulatorSettings.MAIN_ACCOUNT, new ApiRoutes(account, settings, linkBase), limiter);
        byKey.put(settings.apiKey(), main);
        accounts.put(main.name(), account);
        limiters.put(main.name(), limiter);
        for (SimulatorAccount other : settings.accounts()) {
            SimulatorSettings own = other.settings(settings);
            SimulatedAccount data = new SimulatedAccount(own);
            RateLimiter ownLimit = new RateLimiter(own.rateLimitPerWindow(), own.rateLimitWindow(), own.rateLimitWindowPhase());
            byKey.put(own.apiKey(), new ApiHandler.Tenant(other.name(), new ApiRoutes(data, own, linkBase), ownLimit));
            accounts.put(other.name(), data);
            limiters.put(other.name(), ownLimit);
        }
        server.createContext("/", new ApiHandler(byKey, main, faults, requests, latency::get));
        this.workers = Executors.newFixedThreadPool(WORKER_THREADS, daemonThreads());
        server.setExecutor(workers);
        server.start();
    }

    /** Generates the account and starts serving it; the server listens once this returns. */
    public static PersistIqSimulator start(SimulatorSettings settings) {
        return new PersistIqSimulator(Objects.requireNonNull(settings, "settings"));
    }

    /** Where the API is, e.g. {@code http://127.0.0.1:54321} (no trailing slash; paths start with /v1/). */
    public URI baseUrl() {
        return baseUrl;
    }

    public int port() {
        return baseUrl.getPort();
    }

    public SimulatorSettings settings() {
        return settings;
    }

    /** The key clients must send in {@code x-api-key}. */
    public String apiKey() {
        return settings.apiKey();
    }

    /** The main account (the one {@link #apiKey()} reaches). */
    public SimulatedAccount account() {
        return account;
    }

    /** An account by name: {@link SimulatorSettings#MAIN_ACCOUNT} or one of {@link SimulatorSettings#accounts()}. */
    public SimulatedAccount account(String name) {
        SimulatedAccount a = accounts.get(name);
        if (a == null) throw new IllegalArgumentException("no account named " + name + " (there are " + accounts.keySet() + ")");
        return a;
    }

    public FaultPlan faults() {
        return faults;
    }

    public RequestLog requests() {
        return requests;
    }

    /** Changes the delay added before every answer. */
    public void setLatency(Duration latency) {
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative");
        }
        this.latency.set(latency);
    }

    /** Changes the rate limit (0 = off); current windows start over, each with the first request after the previous one. */
    public void setRateLimit(int perWindow, Duration window) {
        setRateLimit(perWindow, window, null);
    }

    /**
     * Changes the rate limit (0 = off); current windows start over. {@code phase} null: each window starts
     * with the first request after the previous one; else every window ends {@code phase} (0 <= phase < 1 s)
     * past a whole epoch second (see {@link SimulatorSettings#rateLimitWindowPhase()}).
     */
    public void setRateLimit(int perWindow, Duration window, Duration phase) {
        limiter.configure(perWindow, window, phase);
    }

    /** Changes one account's rate limit (0 = off); its current windows start over. */
    public void setRateLimit(String account, int perWindow, Duration window) {
        RateLimiter l = limiters.get(account);
        if (l == null) throw new IllegalArgumentException("no account named " + account + " (there are " + limiters.keySet() + ")");
        l.configure(perWindow, window, null);
    }

    /** Stops at once: open connections are dropped and delayed answers abandoned. */
    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }

    private static String withScheme(String advertisedHost) {
        String base = advertisedHost.contains("://") ? advertisedHost : "http://" + advertisedHost;
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger counter = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "persistiq-simulator-" + counter.incrementAndGet());
            thread.setDaemon(true); // a simulator left open must not keep the JVM alive
            return thread;
        };
    }
}
