package io.persistiqsync.simulator;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * Everything that shapes one simulated PersistIQ account and its server. Immutable; build one with
 * {@link #builder()} (every value has a default) or derive one with {@link #toBuilder()}.
 *
 * @param port                     TCP port on 127.0.0.1; 0 picks a free one
 * @param apiKey                   the only value of {@code x-api-key} that is accepted
 * @param seed                     all generated data is a pure function of this seed
 * @param users                    number of users at start
 * @param leads                    number of leads at start (a million is fine: leads are generated on demand)
 * @param campaigns                number of campaigns at start
 * @param campaignLeadsPerCampaign leads enrolled in each campaign (capped by {@code leads})
 * @param repliesPerCampaign       replies received in each campaign
 * @param events                   number of events (generated on demand)
 * @param dncDomains               number of do-not-contact domains
 * @param tags                     number of tags
 * @param customLeadFields         names of the company's custom lead fields, used verbatim as keys of a
 *                                 lead's {@code data}; the defaults are deliberately awkward for column naming
 * @param pageSize                 page size of every paged list except events (contract §3: 100)
 * @param eventsPageSize           page size of {@code /v1/events} (contract §3: 500)
 * @param latency                  added before answering each request
 * @param rateLimitPerWindow       requests allowed per key and window; 0 switches rate limiting off
 * @param rateLimitWindow          length of the fixed rate-limit window (the real API: one minute)
 * @param rateLimitWindowPhase     null: a window starts with the first request after the previous one
 *                                 ended (so at whatever fraction of a second that request came); else
 *                                 (0 <= phase < 1 s) every window ends this long past a whole epoch second:
 *                                 the first lasts from the first request to the first such instant at least
 *                                 a window later, the next ones follow without gaps. Either way
 *                                 {@code X-RateLimit-Reset} is the end truncated to whole epoch seconds.
 * @param eventShape               which event schema to serve
 * @param advertisedHost           {@code host:port} (or a full {@code scheme://host:port}) to put into
 *                                 {@code next_page} URLs instead of the server's own address; null = own
 * @param accounts                 more accounts on the same server, each with its own key, data and rate
 *                                 limit (none: the one account above, as the API serves one key)
 */
public record SimulatorSettings(
        int port,
        String apiKey,
        long seed,
        int users,
        int leads,
        int campaigns,
        int campaignLeadsPerCampaign,
        int repliesPerCampaign,
        int events,
        int dncDomains,
        int tags,
        List<String> customLeadFields,
        int pageSize,
        int eventsPageSize,
        Duration latency,
        int rateLimitPerWindow,
        Duration rateLimitWindow,
        Duration rateLimitWindowPhase,
        EventShape eventShape,
        String advertisedHost,
        List<SimulatorAccount> accounts) {

    /**
     * Custom lead fields a real company might define, chosen to break naive column naming: spaces,
     * capitals, non-ASCII, SQL in a name, a reserved word, and "first name", which collides with the
     * standard {@code first_name} once normalised. The last three are ordinary fields seen in real data.
     */
    public static final List<String> DEFAULT_CUSTOM_LEAD_FIELDS = List.of(
            "Favourite Colour", "LinkedIn URL", "Société", "x\"; drop table leads; --", "select", "first name",
            "outreach", "domain", "country");

    public SimulatorSettings {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
        if (apiKey == null || apiKey.isEmpty()) {
            throw new IllegalArgumentException("apiKey must not be empty");
        }
        requireNotNegative("users", users);
        requireNotNegative("leads", leads);
        requireNotNegative("campaigns", campaigns);
        requireNotNegative("campaignLeadsPerCampaign", campaignLeadsPerCampaign);
        requireNotNegative("repliesPerCampaign", repliesPerCampaign);
        requireNotNegative("events", events);
        requireNotNegative("dncDomains", dncDomains);
        requireNotNegative("tags", tags);
        requireNotNegative("rateLimitPerWindow", rateLimitPerWindow);
        if (pageSize < 1 || eventsPageSize < 1) {
            throw new IllegalArgumentException("page sizes must be positive");
        }
        Objects.requireNonNull(latency, "latency");
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative");
        }
        Objects.requireNonNull(rateLimitWindow, "rateLimitWindow");
        if (rateLimitWindow.isZero() || rateLimitWindow.isNegative()) {
            throw new IllegalArgumentException("rateLimitWindow must be positive");
        }
        if (rateLimitWindowPhase != null && (rateLimitWindowPhase.isNegative() || rateLimitWindowPhase.compareTo(Duration.ofSeconds(1)) >= 0)) {
            throw new IllegalArgumentException("rateLimitWindowPhase must be 0 <= phase < 1 s: " + rateLimitWindowPhase);
        }
        Objects.requireNonNull(eventShape, "eventShape");
        customLeadFields = List.copyOf(customLeadFields);
        requireDistinctCustomFields(customLeadFields);
        accounts = List.copyOf(accounts);
        var keys = new HashSet<String>(List.of(apiKey));
        var names = new HashSet<String>(List.of(MAIN_ACCOUNT));
        for (SimulatorAccount a : accounts) {
            if (!keys.add(a.apiKey())) throw new IllegalArgumentException("account " + a.name() + ": its API key is another account's");
            if (!names.add(a.name())) throw new IllegalArgumentException("account name " + a.name() + " is taken");
        }
    }

    /** The name of the account that {@link #apiKey} reaches. */
    public static final String MAIN_ACCOUNT = "main";

    /** The settings with every default. */
    public static SimulatorSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .port(port).apiKey(apiKey).seed(seed)
                .users(users).leads(leads).campaigns(campaigns)
                .campaignLeadsPerCampaign(campaignLeadsPerCampaign).repliesPerCampaign(repliesPerCampaign)
                .events(events).dncDomains(dncDomains).tags(tags).customLeadFields(customLeadFields)
                .pageSize(pageSize).eventsPageSize(eventsPageSize).latency(latency)
                .rateLimitPerWindow(rateLimitPerWindow).rateLimitWindow(rateLimitWindow).rateLimitWindowPhase(rateLimitWindowPhase)
                .eventShape(eventShape).advertisedHost(advertisedHost).accounts(accounts);
    }

    private static void requireNotNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
    }

    private static void requireDistinctCustomFields(List<String> fields) {
        var seen = new HashSet<>(LeadGenerator.STANDARD_FIELDS);
        for (String field : fields) {
            if (field.isEmpty() || !seen.add(field)) {
                throw new IllegalArgumentException("custom lead field is empty or repeats another field: " + field);
            }
        }
    }

    /** Mutable builder; starts from the defaults. */
    public static final class Builder {
        private int port;
        private String apiKey = "demo-key";
        private long seed = 42;
        private int users = 5;
        private int leads = 1000;
        private int campaigns = 3;
        private int campaignLeadsPerCampaign = 20;
        private int repliesPerCampaign = 5;
        private int events = 200;
        private int dncDomains = 10;
        private int tags = 5;
        private List<String> customLeadFields = DEFAULT_CUSTOM_LEAD_FIELDS;
        private int pageSize = 100;
        private int eventsPageSize = 500;
        private Duration latency = Duration.ZERO;
        private int rateLimitPerWindow;
        private Duration rateLimitWindow = Duration.ofSeconds(60);
        private Duration rateLimitWindowPhase;
        private EventShape eventShape = EventShape.MIXED;
        private String advertisedHost;
        private List<SimulatorAccount> accounts = new java.util.ArrayList<>();

        private Builder() {
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder users(int users) {
            this.users = users;
            return this;
        }

        public Builder leads(int leads) {
            this.leads = leads;
            return this;
        }

        public Builder campaigns(int campaigns) {
            this.campaigns = campaigns;
            return this;
        }

        public Builder campaignLeadsPerCampaign(int campaignLeadsPerCampaign) {
            this.campaignLeadsPerCampaign = campaignLeadsPerCampaign;
            return this;
        }

        public Builder repliesPerCampaign(int repliesPerCampaign) {
            this.repliesPerCampaign = repliesPerCampaign;
            return this;
        }

        public Builder events(int events) {
            this.events = events;
            return this;
        }

        public Builder dncDomains(int dncDomains) {
            this.dncDomains = dncDomains;
            return this;
        }

        public Builder tags(int tags) {
            this.tags = tags;
            return this;
        }

        public Builder customLeadFields(List<String> customLeadFields) {
            this.customLeadFields = customLeadFields;
            return this;
        }

        public Builder pageSize(int pageSize) {
            this.pageSize = pageSize;
            return this;
        }

        public Builder eventsPageSize(int eventsPageSize) {
            this.eventsPageSize = eventsPageSize;
            return this;
        }

        public Builder latency(Duration latency) {
            this.latency = latency;
            return this;
        }

        public Builder rateLimitPerWindow(int rateLimitPerWindow) {
            this.rateLimitPerWindow = rateLimitPerWindow;
            return this;
        }

        public Builder rateLimitWindow(Duration rateLimitWindow) {
            this.rateLimitWindow = rateLimitWindow;
            return this;
        }

        /** Null (the default): a window starts with the first request after the previous one ended. */
        public Builder rateLimitWindowPhase(Duration rateLimitWindowPhase) {
            this.rateLimitWindowPhase = rateLimitWindowPhase;
            return this;
        }

        public Builder eventShape(EventShape eventShape) {
            this.eventShape = eventShape;
            return this;
        }

        public Builder advertisedHost(String advertisedHost) {
            this.advertisedHost = advertisedHost;
            return this;
        }

        /** Replaces the accounts served besides the main one. */
        public Builder accounts(List<SimulatorAccount> accounts) {
            this.accounts = new java.util.ArrayList<>(accounts);
            return this;
        }

        /** One more account: its own key, its own data (seeded from its name), its own rate limit per window. */
        public Builder account(String name, String apiKey, int rateLimitPerWindow) {
            this.accounts.add(new SimulatorAccount(name, apiKey, rateLimitPerWindow));
            return this;
        }

        public SimulatorSettings build() {
            return new SimulatorSettings(port, apiKey, seed, users, leads, campaigns, campaignLeadsPerCampaign,
                    repliesPerCampaign, events, dncDomains, tags, customLeadFields, pageSize, eventsPageSize,
                    latency, rateLimitPerWindow, rateLimitWindow, rateLimitWindowPhase, eventShape, advertisedHost, accounts);
        }
    }
}
