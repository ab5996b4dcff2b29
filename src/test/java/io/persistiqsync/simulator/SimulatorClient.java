package io.persistiqsync.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A plain HTTP client for the simulator's tests: real requests over loopback. */
final class SimulatorClient {

    static final ObjectMapper MAPPER = new ObjectMapper();

    record Response(int status, HttpHeaders headers, String body) {

        JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (JsonProcessingException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final URI base;
    private final String apiKey;

    SimulatorClient(PersistIqSimulator simulator) {
        this.base = simulator.baseUrl();
        this.apiKey = simulator.settings().apiKey();
    }

    /** GET a path (with query) with the right key. */
    Response get(String pathAndQuery) {
        return send(request(base + pathAndQuery).header("x-api-key", apiKey).build());
    }

    /** GET a path with another key; null sends none. */
    Response getWithKey(String pathAndQuery, String key) {
        HttpRequest.Builder request = request(base + pathAndQuery);
        if (key != null) {
            request.header("x-api-key", key);
        }
        return send(request.build());
    }

    /** GET with one given header (e.g. the key under another spelling). */
    Response getWithHeader(String pathAndQuery, String name, String value) {
        return send(request(base + pathAndQuery).header(name, value).build());
    }

    /** Any method, without a body, with the right key. */
    Response send(String method, String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .header("x-api-key", apiKey)
                .build());
    }

    /** GET with a client-side timeout. */
    Response get(String pathAndQuery, Duration timeout) throws IOException, InterruptedException {
        HttpRequest request = request(base + pathAndQuery).header("x-api-key", apiKey).timeout(timeout).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.headers(), response.body());
    }

    /** Every record of a list, following {@code next_page} from page 1 until {@code has_more} is false. */
    List<JsonNode> readAll(String pathAndQuery, String key) {
        return readAll(pathAndQuery, key, apiKey);
    }

    /** The same with another account's API key. */
    List<JsonNode> readAll(String pathAndQuery, String key, String apiKey) {
        List<JsonNode> records = new ArrayList<>();
        String url = base + pathAndQuery;
        for (int pages = 0; url != null; pages++) {
            assertTrue(pages < 100_000, "paging does not end");
            assertTrue(url.startsWith(base.toString() + "/v1/"), "next_page on our host: " + url);
            Response response = send(request(url).header("x-api-key", apiKey).build());
            assertEquals(200, response.status(), response.body());
            JsonNode page = response.json();
            page.get(key).forEach(records::add);
            boolean hasMore = page.get("has_more").booleanValue();
            assertEquals(hasMore, !page.get("next_page").isNull(), "has_more agrees with next_page");
            url = hasMore ? page.get("next_page").textValue() : null;
        }
        return records;
    }

    private static HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).GET();
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
