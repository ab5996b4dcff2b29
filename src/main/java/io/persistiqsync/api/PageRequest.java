package io.persistiqsync.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.support.DefaultExchange;

import io.persistiqsync.routes.RouteNames;

/**
 * Which page to ask for: the path, the page number, and the incremental filter that every page of a
 * pass carries (URL-encoded: an offset's '+' must not turn into a space).
 *
 * @param position a name for where paging stands, e.g. "leads" or "campaign_leads c_abc123"
 */
public record PageRequest(String position, String path, String recordsKey, boolean paged, int page, String filterParameter,
        String filterValue) {

    /**
     * An exchange for the request route: what the asking exchange carries (which stream it serves, for
     * monitoring), plus what to ask for.
     */
    static Exchange requestExchange(CamelContext context, Map<String, Object> properties, String path, String query, String recordsKey) {
        Exchange exchange = new DefaultExchange(context, ExchangePattern.InOut);
        exchange.getProperties().putAll(properties);
        exchange.setProperty(RouteNames.PAGE_PATH, path);
        exchange.setProperty(RouteNames.PAGE_QUERY, query);
        exchange.setProperty(RouteNames.RECORDS_KEY, recordsKey);
        return exchange;
    }

    public String query(int pageNumber) {
        List<String> params = new ArrayList<>();
        if (paged) params.add("page=" + pageNumber);
        if (filterParameter != null && filterValue != null) {
            params.add(filterParameter + "=" + URLEncoder.encode(filterValue, StandardCharsets.UTF_8));
        }
        return params.isEmpty() ? null : String.join("&", params);
    }
}
