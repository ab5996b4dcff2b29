package io.persistiqsync.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;

/**
 * The account's activity feed ({@code GET /v1/events}, contract §4.12), generated from the index on
 * demand like leads. Events are history: they keep pointing at users, campaigns and leads that were
 * removed since. Their times grow with the index, so time filters are binary searches.
 */
final class EventGenerator {

    /** An event kind with its group (the {@code group} filter) and what it refers to. */
    private record Kind(String name, String group, boolean aboutCampaign, boolean aboutLead) {
    }

    /** One event; -1 where it refers to no user, campaign or lead. */
    private record Event(int index, Kind kind, Instant at, int user, int campaign, int lead) {
    }

    private static final Kind LEAD_CREATED = new Kind("lead_created", "lead_detail", false, true);
    private static final Kind SETTINGS_UPDATED = new Kind("settings_updated", "settings", false, false);
    private static final List<Kind> KINDS = List.of(
            LEAD_CREATED,
            new Kind("lead_updated", "lead_detail", false, true),
            new Kind("message_sent", "campaign", true, true),
            new Kind("message_opened", "campaign", true, true),
            new Kind("message_clicked", "campaign", true, true),
            new Kind("message_received", "campaign", true, true),
            new Kind("message_bounced", "campaign", true, true),
            new Kind("message_optout", "campaign", true, true),
            SETTINGS_UPDATED);

    private static final Instant FIRST = Instant.parse("2024-01-01T00:00:00Z");
    private static final long SPAN_MILLIS = Duration.between(FIRST, Instant.parse("2025-06-01T00:00:00Z")).toMillis();
    private static final long EVENT = Seeds.stream("event");
    private static final long EVENT_TIME = Seeds.stream("event.time");

    private final long seed;
    private final int count;
    private final long stepMillis;
    private final IdCodec ids;
    private final List<UserStore.User> users;
    private final List<CampaignStore.Campaign> campaigns;
    private final LeadGenerator leads;
    private final int leadCount;

    /**
     * @param users     the users at start
     * @param campaigns the campaigns at start
     * @param leadCount the generated leads events may refer to
     */
    EventGenerator(long seed, int count, List<UserStore.User> users, List<CampaignStore.Campaign> campaigns,
            LeadGenerator leads, int leadCount) {
        this.seed = seed;
        this.count = count;
        this.stepMillis = Math.max(1, SPAN_MILLIS / Math.max(1, count));
        this.ids = new IdCodec("evt_", seed);
        this.users = List.copyOf(users);
        this.campaigns = List.copyOf(campaigns);
        this.leads = leads;
        this.leadCount = leadCount;
    }

    /**
     * A page of events in the given shape. {@code startAt}/{@code endAt} are exclusive ("events after /
     * before", contract §4.12); the other filters are ids or a group name; null does not filter.
     */
    Slice<ObjectNode> page(EventFilter filter, EventShape shape, int page, int size) {
        int from = filter.startAt() == null ? 0 : firstIndex(i -> at(i).isAfter(filter.startAt()));
        int to = filter.endAt() == null ? count : firstIndex(i -> !at(i).isBefore(filter.endAt()));
        IntPredicate matches = !filter.filtersContent() ? null : i -> matches(event(i), filter);
        List<Integer> indices = new IndexSequence(from, to, new int[0], matches, new int[0])
                .slice((long) (page - 1) * size, size + 1);
        List<ObjectNode> events = indices.stream().limit(size).map(i -> json(event(i), shape)).toList();
        return new Slice<>(events, indices.size() > size);
    }

    private Instant at(int index) {
        return FIRST.plusMillis(index * stepMillis + Math.floorMod(Seeds.hash(seed, EVENT_TIME, index), stepMillis));
    }

    /** The first index in [0, count] for which a condition that only turns from false to true holds. */
    private int firstIndex(IntPredicate condition) {
        int low = 0;
        int high = count;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (condition.test(middle)) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        return low;
    }

    private Event event(int index) {
        SplittableRandom random = Seeds.random(seed, EVENT, index);
        Kind kind = Seeds.pick(random, KINDS);
        if (kind.aboutCampaign() && campaigns.isEmpty()) {
            kind = LEAD_CREATED;
        }
        if (kind.aboutLead() && leadCount == 0) {
            kind = SETTINGS_UPDATED;
        }
        int user = users.isEmpty() ? -1 : random.nextInt(users.size());
        int campaign = kind.aboutCampaign() ? random.nextInt(campaigns.size()) : -1;
        int lead = kind.aboutLead() ? random.nextInt(leadCount) : -1;
        return new Event(index, kind, at(index), user, campaign, lead);
    }

    private boolean matches(Event event, EventFilter filter) {
        return (filter.group() == null || filter.group().equals(event.kind().group()))
                && (filter.user() == null || event.user() >= 0 && filter.user().equals(users.get(event.user()).id()))
                && (filter.campaign() == null
                        || event.campaign() >= 0 && filter.campaign().equals(campaigns.get(event.campaign()).id()))
                && (filter.lead() == null || event.lead() >= 0 && filter.lead().equals(leads.id(event.lead())));
    }

    private ObjectNode json(Event event, EventShape shape) {
        boolean docs = shape == EventShape.DOCS || shape == EventShape.MIXED && event.index() % 2 == 0;
        return docs ? docsJson(event) : oasJson(event);
    }

    /** {@code {id, kind, event_at, user_id, user, campaign, lead, params, diff}}. */
    private ObjectNode docsJson(Event event) {
        UserStore.User user = event.user() < 0 ? null : users.get(event.user());
        ObjectNode json = Json.object();
        json.put("id", ids.encode(event.index()));
        json.put("kind", event.kind().name());
        json.put("event_at", Timestamps.rails(event.at(), zoneOf(user)));
        json.put("user_id", user == null ? null : user.id());
        json.set("user", user == null ? null : user.summary());
        json.set("campaign", event.campaign() < 0 ? null : campaigns.get(event.campaign()).summary());
        json.set("lead", event.lead() < 0 ? null : leadSummary(event.lead()));
        json.set("params", params(event));
        json.set("diff", diff(event));
        return json;
    }

    /** {@code {id, event_type, data, created_at}}, with a UTC time in another format than the docs shape. */
    private ObjectNode oasJson(Event event) {
        ObjectNode json = Json.object();
        json.put("id", ids.encode(event.index()));
        json.put("event_type", event.kind().name());
        ObjectNode data = json.putObject("data");
        data.put("user_id", event.user() < 0 ? null : users.get(event.user()).id());
        data.put("campaign_id", event.campaign() < 0 ? null : campaigns.get(event.campaign()).id());
        data.put("lead_id", event.lead() < 0 ? null : leads.id(event.lead()));
        data.set("params", params(event));
        data.set("diff", diff(event));
        json.put("created_at", DateTimeFormatter.ISO_INSTANT.format(event.at()));
        return json;
    }

    /** Rails renders a time in its user's zone; each user gets one of the sample offsets. */
    private static ZoneOffset zoneOf(UserStore.User user) {
        return user == null ? ZoneOffset.UTC : SamplePools.OFFSETS.get(user.index() % SamplePools.OFFSETS.size());
    }

    private ObjectNode leadSummary(int lead) {
        ObjectNode summary = Json.object();
        summary.put("id", leads.id(lead));
        summary.put("email", leads.person(lead).email());
        return summary;
    }

    private ObjectNode params(Event event) {
        if (!event.kind().aboutCampaign()) {
            return null;
        }
        ObjectNode params = Json.object();
        params.put("step", 1 + event.index() % 4);
        params.put("subject", "Quick question about " + campaigns.get(event.campaign()).name());
        if (event.kind().name().equals("message_clicked")) {
            params.put("url", "https://example.com/pricing?utm_source=persistiq&ref=" + event.index());
        }
        return params;
    }

    /** Changes as {@code {field: [before, after]}}, for the kinds that change something. */
    private ObjectNode diff(Event event) {
        ObjectNode diff = Json.object();
        switch (event.kind().name()) {
            case "lead_updated" -> diff.putArray("title").add("Engineer").add("Senior Engineer");
            case "settings_updated" -> diff.putArray("timezone").add("UTC").add("America/Los_Angeles");
            default -> {
                return null;
            }
        }
        return diff;
    }
}
