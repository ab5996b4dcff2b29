package io.persistiqsync.api;

import static io.persistiqsync.api.FieldType.BOOLEAN;
import static io.persistiqsync.api.FieldType.INTEGER;
import static io.persistiqsync.api.FieldType.JSON;
import static io.persistiqsync.api.FieldType.TEXT;
import static io.persistiqsync.api.FieldType.TIMESTAMP;
import static io.persistiqsync.api.StreamDefinition.fields;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.persistiqsync.api.StreamDefinition.IncrementalFilter;

/**
 * Every readable PersistIQ list (see ../shared/persistiq-api.md §4), in the order a sync reads them:
 * lead_fields before leads (every defined field gets its column), campaigns before their child streams.
 */
public final class StreamCatalog {

    private static final Map<String, StreamDefinition> STREAMS = new LinkedHashMap<>();

    static {
        add(new StreamDefinition("users", "/v1/users", "users", true, null, IncrementalFilter.NONE,
                fields("id", TEXT, "name", TEXT, "email", TEXT, "activated", BOOLEAN, "default_mailbox_id", TEXT,
                        "salesforce_id", TEXT, "mailboxes", JSON),
                Map.of(), false, true, "1 request per 100 users"));
        add(new StreamDefinition("lead_fields", "/v1/lead_fields", "lead_fields", false, null, IncrementalFilter.NONE,
                fields("id", TEXT, "name", TEXT, "label", TEXT),
                Map.of(), false, true, "1 request"));
        add(new StreamDefinition("lead_statuses", "/v1/lead_statuses", "lead_statuses", false, null, IncrementalFilter.NONE,
                fields("id", TEXT, "name", TEXT),
                Map.of(), false, true, "1 request"));
        add(new StreamDefinition("leads", "/v1/leads", "leads", true, null, IncrementalFilter.UPDATED_AFTER,
                fields("id", TEXT, "status", TEXT, "data", JSON, "creator_id", TEXT, "owner_id", TEXT,
                        "bounced", BOOLEAN, "optedout", BOOLEAN, "sent_count", INTEGER, "replied_count", INTEGER,
                        "last_sent_at", TIMESTAMP),
                Map.of(), true, true, "1 request per 100 leads on a full pass; only changed leads afterwards"));
        add(new StreamDefinition("campaigns", "/v1/campaigns", "campaigns", true, null, IncrementalFilter.NONE,
                fields("id", TEXT, "name", TEXT, "creator", JSON, "stats", JSON),
                Map.of(), false, true, "1 request per 100 campaigns"));
        add(new StreamDefinition("campaign_leads", "/v1/campaigns/{parent_id}/leads", "campaign_leads", true, "campaigns",
                IncrementalFilter.NONE,
                fields("id", TEXT, "campaign_id", TEXT, "mailbox_id", TEXT, "lead", JSON),
                Map.of("lead_id", "/lead/id"), false, false,
                "opt-in: 1 request per 100 leads of every campaign, on every sync"));
        add(new StreamDefinition("replies", "/v1/campaigns/{parent_id}/replies", "replies", true, "campaigns",
                IncrementalFilter.START_AT,
                fields("id", TEXT, "from_email", TEXT, "to_emails", JSON, "cc_emails", JSON, "subject", TEXT,
                        "body", TEXT, "preview", TEXT, "sent_at", TIMESTAMP, "sentiment", TEXT, "kind", TEXT,
                        "lead_id", TEXT, "campaign_id", TEXT, "step_message_id", TEXT),
                Map.of(), false, false, "opt-in: at least 1 request per campaign on every sync"));
        // Two shapes are documented (docs: kind/event_at/...; OpenAPI: event_type/data/created_at): both fit.
        add(new StreamDefinition("events", "/v1/events", "events", true, null, IncrementalFilter.START_AT,
                fields("id", TEXT, "kind", TEXT, "event_type", TEXT, "event_at", TIMESTAMP, "created_at", TIMESTAMP,
                        "user_id", TEXT, "user", JSON, "campaign", JSON, "lead", JSON, "params", JSON, "diff", JSON,
                        "data", JSON),
                Map.of(), false, false, "opt-in: 1 request per 500 events on a full pass"));
        add(new StreamDefinition("dnc_domains", "/v1/dnc_domains", "dnc_domains", true, null, IncrementalFilter.NONE,
                fields("id", TEXT, "name", TEXT),
                Map.of(), false, false, "opt-in: 1 request per 100 domains"));
        add(new StreamDefinition("tags", "/v1/tags", "tags", true, null, IncrementalFilter.NONE,
                fields("id", TEXT, "name", TEXT),
                Map.of(), false, false, "opt-in: 1 request per 100 tags"));
    }

    private StreamCatalog() {
    }

    private static void add(StreamDefinition stream) {
        STREAMS.put(stream.name(), stream);
    }

    public static List<StreamDefinition> all() {
        return List.copyOf(STREAMS.values());
    }

    public static Optional<StreamDefinition> find(String name) {
        return Optional.ofNullable(STREAMS.get(name));
    }

    /**
     * The named streams in catalog order (parents before children).
     *
     * @throws IllegalArgumentException naming the unknown streams and the known ones
     */
    public static List<StreamDefinition> select(List<String> names) {
        List<String> unknown = names.stream().filter(n -> !STREAMS.containsKey(n)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown stream" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + " (known: " + String.join(", ", STREAMS.keySet()) + ")");
        }
        List<StreamDefinition> selected = new ArrayList<>();
        for (StreamDefinition s : STREAMS.values()) {
            if (names.contains(s.name())) selected.add(s);
        }
        return selected;
    }
}
