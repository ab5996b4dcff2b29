package io.persistiqsync.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.language.simple.Simple;

import com.fasterxml.jackson.databind.JsonNode;

import io.persistiqsync.routes.RouteNames;

/**
 * One record asked for by id ({@code GET /v1/leads/{id}}, contract §4.3): the two ends of
 * direct:lookup-record, around the same paced, retried, checked request route as the pages. Two answer
 * shapes are documented ({@code {lead: {...}}} and {@code {leads: [{...}]}}): both are read.
 */
public class RecordLookup {
    /** the stream of the run the exchange carries */
    private static final String STREAM = "${exchangeProperty." + RouteNames.STREAM_RUN + ".stream}";

    /** Sets the exchange up to ask for the record whose id is the body. */
    public void request(@Body String id, @Simple(STREAM) StreamDefinition stream, Exchange exchange) {
        exchange.setProperty(RouteNames.LOOKUP_ID, id);
        exchange.setProperty(RouteNames.PAGE_PATH, stream.path() + "/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"));
        exchange.removeProperty(RouteNames.PAGE_QUERY);
        // one record: no records array to check in the answer (either shape is read below)
        exchange.removeProperty(RouteNames.RECORDS_KEY);
    }

    /** The record the answer holds, or null when there is none (404) or it is another record than the one asked for. */
    public JsonNode read(@Body JsonNode answer, @Simple(STREAM) StreamDefinition stream, @ExchangeProperty(RouteNames.LOOKUP_ID) String id) {
        if (answer == null) return null;
        String singular = stream.recordsKey().replaceFirst("s$", "");
        JsonNode record;
        if (answer.path(singular).isObject()) {
            record = answer.get(singular);
        } else {
            JsonNode list = answer.path(stream.recordsKey());
            if (!list.isArray() || list.size() != 1 || !list.get(0).isObject()) {
                throw new TransientApiException(200, "the answer for " + stream.name() + " " + id + " has neither '" + singular + "' nor one '"
                        + stream.recordsKey() + "'");
            }
            record = list.get(0);
        }
        return id.equals(record.path(StreamDefinition.PRIMARY_KEY).asText(null)) ? record : null;
    }
}
