package io.persistiqsync.simulator;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Answers every request, in this order: latency, an injected fault that replaces the answer, the rate
 * limit, the API key, the endpoint, and last an injected fault that changes a list answer. The key
 * chooses the account (its data and its rate limit); a key no account has is limited as the main
 * account's and refused.
 */
final class ApiHandler implements HttpHandler {

    private static final System.Logger LOG = System.getLogger(ApiHandler.class.getName());

    /** One account as the server sees it: its name, its endpoints over its data, its rate limit. */
    record Tenant(String name, ApiRoutes routes, RateLimiter limiter) {
    }

    private final Map<String, Tenant> byKey;
    private final Tenant main;
    private final FaultPlan faults;
    private final RequestLog log;
    private final Supplier<Duration> latency;

    /** @param byKey every account by its API key; {@code main} among them answers for unknown keys' limits */
    ApiHandler(Map<String, Tenant> byKey, Tenant main, FaultPlan faults, RequestLog log, Supplier<Duration> latency) {
        this.byKey = Map.copyOf(byKey);
        this.main = main;
        this.faults = faults;
        this.log = log;
        this.latency = latency;
    }

    @Override
    public void handle(HttpExchange exchange) {
        long started = System.nanoTime();
        try {
            serve(exchange, started);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the simulator is closing
        } catch (IOException e) {
            // typically a client that gave up waiting (a SLOW fault) before the answer was written
            LOG.log(Level.DEBUG, "could not write an answer", e);
        } finally {
            exchange.close(); // without an answer sent, this drops the connection (CONNECTION_RESET)
        }
    }

    private void serve(HttpExchange exchange, long started) throws IOException, InterruptedException {
        Instant receivedAt = Instant.now();
        String key = exchange.getRequestHeaders().getFirst("x-api-key"); // header names are case-insensitive
        ApiRequest request = new ApiRequest(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                QueryParams.parse(exchange.getRequestURI().getRawQuery()));
        Tenant tenant = key == null ? null : byKey.get(key);
        boolean keyMatched = tenant != null;
        Tenant limitedBy = keyMatched ? tenant : main;

        pause(latency.get());
        Fault fault = faults.take(request.path(), kind -> !kind.altersListAnswer());
        if (fault != null && fault.kind() == Fault.Kind.SLOW) {
            pause(fault.delay());
            fault = null;
        }
        if (fault != null && fault.kind() == Fault.Kind.CONNECTION_RESET) {
            log.add(record(request, tenant, 0, receivedAt));
            return;
        }
        WireResponse response = fault != null
                ? FaultResponder.replace(fault, key, limitedBy.limiter().limit())
                : answer(request, key, tenant, limitedBy);
        log.add(record(request, tenant, response.status(), receivedAt));
        send(exchange, response, started);
    }

    private WireResponse answer(ApiRequest request, String key, Tenant tenant, Tenant limitedBy) {
        RateLimiter.Decision decision = limitedBy.limiter().acquire(key == null ? "" : key, Instant.now());
        WireResponse response;
        if (!decision.allowed()) {
            response = WireResponse.json(429, Json.tooManyRequests(decision.limit(), decision.resetEpochSecond()));
        } else if (tenant == null) {
            response = WireResponse.json(401, Json.unauthorized(key));
        } else {
            response = route(tenant.routes(), request);
        }
        return response.withHeaders(decision.headers()); // also on 401 and 429, as the real API does
    }

    private WireResponse route(ApiRoutes routes, ApiRequest request) {
        try {
            ApiResponse answer = routes.answer(request);
            Fault fault = answer.list() == null ? null : faults.take(request.path(), Fault.Kind::altersListAnswer);
            return fault == null ? WireResponse.json(200, answer.body()) : FaultResponder.alter(fault, answer);
        } catch (ApiError e) {
            return WireResponse.json(e.status(), e.envelope());
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "simulator failed to answer " + request.path(), e);
            return WireResponse.json(500, Json.errorEnvelope("api_error", "Internal server error"));
        }
    }

    private static void send(HttpExchange exchange, WireResponse response, long started) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Type", response.contentType());
        headers.set("X-Request-Id", UUID.randomUUID().toString());
        headers.set("X-Runtime", String.format(Locale.ROOT, "%.6f", (System.nanoTime() - started) / 1e9));
        response.headers().forEach(headers::set);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        byte[] body = response.body();
        exchange.sendResponseHeaders(response.status(), head || body.length == 0 ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static RecordedRequest record(ApiRequest request, Tenant tenant, int status, Instant receivedAt) {
        return new RecordedRequest(request.method(), request.path(), request.params().asMap(), tenant != null, status,
                receivedAt, tenant == null ? null : tenant.name());
    }

    private static void pause(Duration duration) throws InterruptedException {
        if (!duration.isZero()) {
            Thread.sleep(duration.toMillis());
        }
    }
}
