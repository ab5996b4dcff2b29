package io.persistiqsync.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;


/**
 * Every account of the runtime, and which one a request belongs to: the one its exchange carries
 * ({@value RouteNames#API_ACCOUNT}, put there when its account's sync opens), else the first
 * configured (a one-off read such as `check` of the only or default account). request-page paces a
 * request with its account's pacer and addresses it to its account's host; the HTTP client then adds
 * that account's key (ApiKeyInterceptor), so no key ever sits on a message.
 */
public final class ApiAccounts {
    /** the exchange property with the ApiAccount of the sync in progress (put there with its session) */
    public static final String PROPERTY = "apiAccount";
    /** names the account of a request to the HTTP client, which swaps it for the key (never sent as is) */
    public static final String ACCOUNT_HEADER = "X-PersistIQ-Sync-Account";

    private final Map<String, ApiAccount> accounts = new LinkedHashMap<>();

    public ApiAccounts(List<ApiAccount> accounts) {
        if (accounts.isEmpty()) throw new IllegalArgumentException("no account");
        accounts.forEach(a -> this.accounts.put(a.name(), a));
    }

    public ApiAccount first() {
        return accounts.values().iterator().next();
    }

    /** The account by name, or null. */
    public ApiAccount get(String name) {
        return name == null ? null : accounts.get(name);
    }

    public List<ApiAccount> all() {
        return List.copyOf(accounts.values());
    }

    /** The account the exchange's request belongs to. */
    public ApiAccount of(Exchange exchange) {
        ApiAccount account = exchange.getProperty(PROPERTY, ApiAccount.class);
        return account != null ? account : first();
    }

    /** Waits for a slot under the request's account's limit (request-page). */
    public void awaitPermit(Exchange exchange) throws InterruptedException {
        of(exchange).pacer().awaitPermit(exchange);
    }

    /** Sends the request to its account's host, naming the account for the HTTP client (request-page). */
    public void address(Exchange exchange) {
        ApiAccount account = of(exchange);
        exchange.getMessage().setHeader(Exchange.HTTP_URI, account.baseUrl().toString());
        exchange.getMessage().setHeader(ACCOUNT_HEADER, account.name());
    }
}
