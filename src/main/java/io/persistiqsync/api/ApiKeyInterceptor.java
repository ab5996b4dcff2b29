package io.persistiqsync.api;

import java.net.URI;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.net.URIAuthority;

/**
 * Adds {@code x-api-key} inside the HTTP client, and only to requests for the configured API host of
 * the account the request names ({@link ApiAccounts#ACCOUNT_HEADER}, which is removed here and never
 * sent): each account's key goes only with that account's requests, only to that account's host.
 * The key therefore never sits in a Camel message header (nothing can log it) and cannot follow a
 * next_page or a redirect to another host. Redirects are not followed at all, and the client does
 * not retry on its own.
 */
public class ApiKeyInterceptor implements HttpClientConfigurer {
    public static final String HEADER = "x-api-key";

    private final ApiAccounts accounts;

    public ApiKeyInterceptor(ApiAccounts accounts) {
        this.accounts = accounts;
    }

    /** One account's key for one host. */
    public ApiKeyInterceptor(URI apiHost, String apiKey) {
        this(new ApiAccounts(java.util.List.of(new ApiAccount("default", apiHost, apiKey, null, 1))));
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.disableRedirectHandling();
        // retries belong to the routes (error-handling.camel.yaml): the client's own would double them
        builder.disableAutomaticRetries();
        builder.addRequestInterceptorLast((request, entity, context) -> {
            request.removeHeaders(HEADER);
            var named = request.getFirstHeader(ApiAccounts.ACCOUNT_HEADER);
            request.removeHeaders(ApiAccounts.ACCOUNT_HEADER);
            ApiAccount account = named == null ? accounts.first() : accounts.get(named.getValue());
            if (account != null && isHost(account.baseUrl(), request) && !account.apiKey().isEmpty()) {
                request.setHeader(HEADER, account.apiKey());
            }
        });
    }

    boolean isApiHost(HttpRequest request) {
        return isHost(accounts.first().baseUrl(), request);
    }

    private static boolean isHost(URI apiHost, HttpRequest request) {
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
