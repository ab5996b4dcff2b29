package io.persistiqsync.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

import com.fasterxml.jackson.databind.JsonNode;

import io.persistiqsync.routes.RouteNames;

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
        String path = stream.path() + "/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
        Exchange done = template.send(RouteNames.REQUEST_PAGE_WITH_RETRIES, PageRequest.requestExchange(origin.getContext(), origin.getProperties(), path, null,
                false, null));
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
