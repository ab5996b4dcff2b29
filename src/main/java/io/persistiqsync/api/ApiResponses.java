package io.persistiqsync.api;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.persistiqsync.routes.RouteNames;

/**
 * Turns an HTTP answer into either a body worth parsing or the exception that says what went wrong.
 * Statuses decide retry behaviour (see error-handling.camel.yaml): 429 rate limited, 5xx transient,
 * 401/403 refused, 404 not found, anything else unexpected.
 */
public class ApiResponses {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ApiAccounts accounts;
    private final Secrets secrets;

    public ApiResponses(ApiAccounts accounts, Secrets secrets) {
        this.accounts = accounts;
        this.secrets = secrets;
    }

    public void check(Exchange exchange) {
        Message answer = exchange.getMessage();
        int status = answer.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        // the answer's rate-limit headers speak of the key that asked: that account's pacer hears them
        RatePacer pacer = accounts.of(exchange).pacer();
        pacer.observe(answer);
        if (status == 200) return;
        String reason = reason(answer.getBody(String.class));
        if (status == 429) {
            pacer.onRateLimited(answer);
            throw new RateLimitedException("HTTP 429 rate limited" + reason);
        }
        if (status == 401 || status == 403) {
            throw new ApiRefusedException(status, "the API refused the key (HTTP " + status + reason + ")");
        }
        if (status == 404) throw new NotFoundException("HTTP 404 not found" + reason);
        if (status >= 500) throw new TransientApiException(status, "HTTP " + status + reason);
        throw new ApiException(status, "unexpected HTTP " + status + reason);
    }

    /** A 200 is only an answer when it is the envelope with the stream's records array; else it is retried. */
    public void checkEnvelope(@Body JsonNode page, @ExchangeProperty(RouteNames.RECORDS_KEY) String recordsKey) {
        if (page == null || !page.isObject()) throw new TransientApiException(200, "the answer is not a JSON object");
        if ("error".equals(page.path("status").asText())) {
            throw new TransientApiException(200, "the answer says status error" + reason(page.path("error").toString()));
        }
        if (recordsKey == null) return; // one record asked for by id (RecordLookup reads either shape)
        JsonNode records = page.get(recordsKey);
        if (records == null || !records.isArray()) throw new TransientApiException(200, "the answer has no '" + recordsKey + "' array");
    }

    /** The API's own words (error.reason: error.message), redacted and cut to one short line. */
    String reason(String body) {
        if (body == null || body.isBlank()) return "";
        String text;
        try {
            JsonNode node = JSON.readTree(body);
            JsonNode error = node.has("error") && node.get("error").isObject() ? node.get("error") : node;
            String r = error.path("reason").asText("");
            String m = error.path("message").asText("");
            text = (r + (r.isEmpty() || m.isEmpty() ? "" : ": ") + m);
            if (text.isEmpty()) text = body;
        } catch (Exception notJson) {
            text = body.replaceAll("<[^>]*>", " ");
        }
        text = secrets.redact(text);
        if (text.length() > 200) text = text.substring(0, 200) + "...";
        return text.isEmpty() ? "" : ": " + text;
    }
}
