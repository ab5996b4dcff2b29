package io.persistiqsync.api;

import java.net.URI;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.net.URIAuthority;

/**
 * Adds {@code x-api-key} inside the HTTP client, and only to requests for the configured API host.
 * The key therefore never sits in a Camel message header (nothing can log it) and cannot follow a
 * next_page or a redirect to another host. Redirects are not followed at all, and the client does
 * not retry on its own.
 */
public class ApiKeyInterceptor implements HttpClientConfigurer {
    public static final String HEADER = "x-api-key";

    private final URI apiHost;
    private final String apiKey;

    public ApiKeyInterceptor(URI apiHost, String apiKey) {
        this.apiHost = apiHost;
        this.apiKey = apiKey;
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.disableRedirectHandling();
        // retries belong to the routes (error-handling.camel.yaml): the client's own would double them
        builder.disableAutomaticRetries();
        builder.addRequestInterceptorLast((request, entity, context) -> {
            request.removeHeaders(HEADER);
            if (isApiHost(request) && !apiKey.isEmpty()) {
                request.setHeader(HEADER, apiKey);
            }
        });
    }

    boolean isApiHost(HttpRequest request) {
        URIAuthority authority = request.getAuthority();
        return authority != null
                && apiHost.getScheme().equalsIgnoreCase(request.getScheme())
                && apiHost.getHost().equalsIgnoreCase(authority.getHostName())
                && port(apiHost.getScheme(), apiHost.getPort()) == port(request.getScheme(), authority.getPort());
    }

    private static int port(String scheme, int port) {
        if (port > 0) return port;
        return "https".equalsIgnoreCase(scheme) ? 443 : 80;
    }
}
