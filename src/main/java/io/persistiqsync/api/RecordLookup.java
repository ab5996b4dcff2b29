package io.persistiqsync.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Asks the API for one record by id ({@code GET /v1/leads/{id}}, contract §4.3) through the same paced,
 * retried, checked request route as the pages. Two answer shapes are documented ({@code {lead: {...}}}
 * and {@code {leads: [{...}]}}): both are read.
 */
public class RecordLookup {
    private final ProducerTemplate template;

    public RecordLookup(ProducerTemplate template) {
        this.template = template;
    }

    /** The record, or null when the API answers 404 (it is gone). */
    public JsonNode find(Exchange origin, StreamDefinition stream, String id) throws Exception {
        Exchange exchange = new DefaultExchange(origin.getContext(), ExchangePattern.InOut);
        exchange.getProperties().putAll(origin.getProperties());
        exchange.setProperty(PageRequest.PATH, stream.path() + "/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"));
        exchange.setProperty(PageRequest.QUERY, null);
        exchange.setProperty(PageRequest.CHILD, false);
        exchange.setProperty(PageRequest.RECORDS_KEY, null);
        Exchange done = template.send(PageAhead.REQUEST, exchange);
        if (done.getException() instanceof NotFoundException) return null;
        if (done.getException() != null) throw done.getException();
        JsonNode answer = done.getMessage().getBody(JsonNode.class);
        String singular = stream.recordsKey().replaceFirst("s$", "");
        if (answer.path(singular).isObject()) return answer.get(singular);
        JsonNode list = answer.path(stream.recordsKey());
        if (list.isArray() && list.size() == 1 && list.get(0).isObject()) return list.get(0);
        throw new TransientApiException(200, "the answer for " + stream.name() + " " + id + " has neither '" + singular + "' nor one '"
                + stream.recordsKey() + "'");
    }
}
