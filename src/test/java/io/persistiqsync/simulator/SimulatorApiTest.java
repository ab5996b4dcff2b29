package io.persistiqsync.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.persistiqsync.simulator.SimulatorClient.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The read endpoints of an unchanged account, over HTTP: envelopes, paging, filters, shapes. */
class SimulatorApiTest {

    private static PersistIqSimulator simulator;
    private static SimulatorClient client;
    private static String base;

    @BeforeAll
    static void start() {
        simulator = PersistIqSimulator.start(SimulatorSettings.defaults());
        client = new SimulatorClient(simulator);
        base = simulator.baseUrl().toString();
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @Test
    void baseUrlIsLoopbackWithoutTrailingSlash() {
        assertEquals("http://127.0.0.1:" + simulator.port(), base);
    }

    @Test
    void pagingThroughAllLeadsYieldsEveryLeadOnce() {
        List<JsonNode> leads = client.readAll("/v1/leads", "leads");

        List<String> ids = leads.stream().map(lead -> lead.get("id").textValue()).toList();
        assertEquals(1000, ids.size());
        assertEquals(1000, new HashSet<>(ids).size());
        assertTrue(ids.stream().allMatch(id -> id.matches("l_[0-9A-Za-z]{6}")), "PersistIQ-style ids");
        assertEquals(simulator.account().liveLeadIds(), ids, "served in creation order");
    }

    @Test
    void nextPageIsAbsoluteKeepsTheOtherParametersEncodedAndEndsWithThePage() {
        JsonNode page = client.get("/v1/leads?page=2&updated_after=2019-01-01T00:00:00%2B00:00&extra=a%20b").json();

        assertEquals("success", page.get("status").textValue());
        assertTrue(page.get("errors").isArray() && page.get("errors").isEmpty());
        assertTrue(page.get("has_more").booleanValue());
        assertEquals(base + "/v1/leads?updated_after=2019-01-01T00%3A00%3A00%2B00%3A00&extra=a+b&page=3",
                page.get("next_page").textValue());
        assertEquals(100, page.get("leads").size());
    }

    @Test
    void aPageBeyondTheEndIsEmptyWithoutNextPage() {
        JsonNode last = client.get("/v1/leads?page=10").json();
        assertFalse(last.get("has_more").booleanValue());
        assertTrue(last.get("next_page").isNull());
        assertEquals(100, last.get("leads").size());

        JsonNode beyond = client.get("/v1/leads?page=11").json();
        assertFalse(beyond.get("has_more").booleanValue());
        assertTrue(beyond.get("next_page").isNull());
        assertEquals(0, beyond.get("leads").size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "0", "-1", "1.5", "", "99999999999"})
    void aBadPageNumberIs400BadParams(String page) {
        Response response = client.get("/v1/leads?page=" + page);

        assertEquals(400, response.status());
        assertEquals("error", response.json().get("status").textValue());
        assertEquals("bad_params", response.json().at("/error/reason").textValue());
    }

    @Test
    void everyAnswerCarriesJsonContentTypeRequestIdAndRuntime() {
        for (String path : List.of("/v1/users", "/v1/nothing", "/v1/leads?page=x")) {
            Response response = client.get(path);
            assertEquals("application/json; charset=utf-8", response.header("Content-Type"), path);
            assertNotNull(UUID.fromString(response.header("X-Request-Id")));
            assertTrue(response.header("X-Runtime").matches("\\d+\\.\\d{6}"), response.header("X-Runtime"));
            assertNull(response.header("X-RateLimit-Limit"), "rate limiting is off by default");
        }
    }

    @Test
    void emojiAreSentAsPlainUtf8() {
        assertTrue(client.get("/v1/tags").body().contains("\"hot lead 🔥\""), "not as escaped surrogates");
    }

    @Test
    void usersCarryTheContractFieldsAndMailboxes() {
        List<JsonNode> users = client.readAll("/v1/users", "users");

        assertEquals(5, users.size());
        for (JsonNode user : users) {
            assertTrue(user.get("id").textValue().matches("u_[0-9A-Za-z]{6}"));
            for (String field : List.of("name", "email", "activated", "default_mailbox_id", "salesforce_id")) {
                assertTrue(user.has(field), field);
            }
            for (JsonNode mailbox : user.get("mailboxes")) {
                assertTrue(mailbox.get("id").textValue().startsWith("mbox_"));
                assertTrue(mailbox.get("campaign_ids").isArray());
            }
        }
        Set<String> campaignIdsInMailboxes = new HashSet<>();
        users.forEach(user -> user.get("mailboxes").forEach(
                mailbox -> mailbox.get("campaign_ids").forEach(id -> campaignIdsInMailboxes.add(id.textValue()))));
        assertEquals(Set.copyOf(simulator.account().campaignIds()), campaignIdsInMailboxes);
    }

    @Test
    void campaignsCarryCreatorAndStatsWithTotalProspects() {
        List<JsonNode> campaigns = client.readAll("/v1/campaigns", "campaigns");

        assertEquals(3, campaigns.size());
        for (JsonNode campaign : campaigns) {
            assertTrue(campaign.get("id").textValue().matches("c_[0-9A-Za-z]{6}"));
            assertTrue(campaign.at("/creator/id").textValue().startsWith("u_"));
            for (String stat : List.of("prospects_contacted", "prospects_reached", "prospects_opened",
                    "prospects_replied", "prospects_bounced", "prospects_optedout", "total_prospects")) {
                assertTrue(campaign.get("stats").get(stat).isInt(), stat);
            }
            assertEquals(20, campaign.at("/stats/total_prospects").intValue());
        }
    }

    @Test
    void campaignsFilterByOwnerAndLead() {
        JsonNode first = client.readAll("/v1/campaigns", "campaigns").get(0);
        String ownerId = first.at("/creator/id").textValue();
        List<JsonNode> owned = client.readAll("/v1/campaigns?owner_id=" + ownerId, "campaigns");
        assertTrue(owned.stream().allMatch(c -> c.at("/creator/id").textValue().equals(ownerId)));

        String campaignId = first.get("id").textValue();
        String enrolledLead = client.get("/v1/campaigns/" + campaignId + "/leads").json()
                .at("/campaign_leads/0/lead/id").textValue();
        List<JsonNode> withLead = client.readAll("/v1/campaigns?lead_id=" + enrolledLead, "campaigns");
        assertTrue(withLead.stream().anyMatch(c -> c.get("id").textValue().equals(campaignId)));
    }

    @Test
    void campaignLeadsWrapFullLeads() {
        String campaignId = simulator.account().campaignIds().get(0);

        List<JsonNode> items = client.readAll("/v1/campaigns/" + campaignId + "/leads", "campaign_leads");

        assertEquals(20, items.size());
        for (JsonNode item : items) {
            assertTrue(item.get("id").textValue().startsWith("cl_"));
            assertEquals(campaignId, item.get("campaign_id").textValue());
            assertTrue(item.get("mailbox_id").textValue().startsWith("mbox_"));
            assertEquals(simulator.account().lead(item.at("/lead/id").textValue()), item.get("lead"));
        }
    }

    @Test
    void repliesFilterBySentAtInclusivelyAndByLead() {
        String campaignId = simulator.account().campaignIds().get(1);
        List<JsonNode> replies = client.readAll("/v1/campaigns/" + campaignId + "/replies", "replies");
        assertEquals(5, replies.size());
        for (JsonNode reply : replies) {
            for (String field : List.of("id", "from_email", "to_emails", "cc_emails", "subject", "body", "preview",
                    "sent_at", "sentiment", "kind", "lead_id", "campaign_id", "step_message_id")) {
                assertTrue(reply.has(field), field);
            }
        }
        String secondSentAt = replies.get(1).get("sent_at").textValue();
        String fourthSentAt = replies.get(3).get("sent_at").textValue();

        List<JsonNode> between = client.readAll("/v1/campaigns/" + campaignId + "/replies?start_at="
                + encode(secondSentAt) + "&end_at=" + encode(fourthSentAt), "replies");
        assertEquals(replies.subList(1, 4), between, "both bounds are inclusive");

        String leadId = replies.get(0).get("lead_id").textValue();
        List<JsonNode> ofLead = client.readAll("/v1/campaigns/" + campaignId + "/replies?lead_id=" + leadId, "replies");
        assertFalse(ofLead.isEmpty());
        assertTrue(ofLead.stream().allMatch(reply -> reply.get("lead_id").textValue().equals(leadId)));
    }

    @Test
    void unknownCampaignAndUnknownPathAre404AndOtherMethods405() {
        for (String path : List.of("/v1/campaigns/c_nope00/leads", "/v1/campaigns/c_nope00/replies", "/v1/nothing",
                "/v2/users", "/", "/v1/leads/l_nope00")) {
            Response response = client.get(path);
            assertEquals(404, response.status(), path);
            assertEquals("not_found", response.json().at("/error/reason").textValue(), path);
        }
        Response post = client.send("POST", "/v1/leads");
        assertEquals(405, post.status());
        assertEquals("error", post.json().get("status").textValue());
    }

    @Test
    void unpagedListsAreWholeWithoutNextPage() {
        for (String key : List.of("lead_statuses", "lead_fields")) {
            JsonNode answer = client.get("/v1/" + key + "?page=2").json();
            assertFalse(answer.get("has_more").booleanValue());
            assertTrue(answer.get("next_page").isNull());
            assertFalse(answer.get(key).isEmpty());
        }
        JsonNode statuses = client.get("/v1/lead_statuses").json().get("lead_statuses");
        assertTrue(statuses.get(0).get("id").textValue().startsWith("lss_"));
    }

    @Test
    void leadFieldsListStandardThenCustomFields() {
        List<String> names = new ArrayList<>();
        for (JsonNode field : client.get("/v1/lead_fields").json().get("lead_fields")) {
            assertTrue(field.get("id").textValue().startsWith("lcf_"));
            assertEquals(field.get("name"), field.get("label"));
            names.add(field.get("name").textValue());
        }
        List<String> expected = new ArrayList<>(LeadGenerator.STANDARD_FIELDS);
        expected.addAll(SimulatorSettings.DEFAULT_CUSTOM_LEAD_FIELDS);
        assertEquals(expected, names);
    }

    @Test
    void leadsCoverTheEdgeCases() {
        List<JsonNode> leads = client.readAll("/v1/leads", "leads");

        for (JsonNode lead : leads) {
            assertEquals(expectedDataKeys(), fieldNames(lead.get("data")), "every lead carries every field");
            assertTrue(lead.get("bounced").isBoolean() && lead.get("optedout").isBoolean());
            assertTrue(lead.get("sent_count").isInt() || lead.get("sent_count").isNull());
            JsonNode lastSent = lead.get("last_sent_at");
            assertTrue(lastSent.isNull()
                    || lastSent.textValue().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d\\d:\\d\\d"));
        }
        String all = leads.toString();
        assertTrue(leads.stream().anyMatch(l -> l.at("/data/snippet2").asText("").length() > 2_000), "long text");
        assertTrue(leads.stream().anyMatch(l -> l.get("status").isNull()), "a lead without status");
        assertTrue(leads.stream().anyMatch(l -> l.get("sent_count").isNull()), "a null count");
        assertTrue(leads.stream().anyMatch(l -> l.get("last_sent_at").isNull()));
        assertTrue(leads.stream().anyMatch(l -> l.at("/data/first_name").isNull()));
        for (String sample : List.of("é", "東京", "🚀", "\\n", "\\t", "\\\"")) {
            assertTrue(all.contains(sample), sample);
        }
    }

    @Test
    void leadsFilterByStatusStatusIdAndEmail() {
        List<JsonNode> active = client.readAll("/v1/leads?status=active", "leads");
        assertFalse(active.isEmpty());
        assertTrue(active.stream().allMatch(lead -> lead.get("status").textValue().equals("active")));

        String activeId = client.get("/v1/lead_statuses").json().at("/lead_statuses/0/id").textValue();
        assertEquals(active, client.readAll("/v1/leads?status_id=" + activeId, "leads"));

        JsonNode someLead = client.get("/v1/leads?page=7").json().at("/leads/42");
        String email = someLead.at("/data/email").textValue();
        List<JsonNode> byEmail = client.readAll("/v1/leads?email=" + encode(email), "leads");
        assertEquals(List.of(someLead), byEmail);
    }

    @Test
    void aSingleLeadIsFoundByIdOrEmail() {
        JsonNode someLead = client.get("/v1/leads?page=3").json().at("/leads/5");

        JsonNode byId = client.get("/v1/leads/" + someLead.get("id").textValue()).json();
        assertEquals("success", byId.get("status").textValue());
        assertTrue(byId.get("error").isNull());
        assertEquals(someLead, byId.get("lead"));

        JsonNode byEmail = client.get("/v1/leads/" + encode(someLead.at("/data/email").textValue())).json();
        assertEquals(someLead, byEmail.get("lead"));
    }

    @Test
    void timeFiltersAcceptOffsetsZuluAndAnUnencodedPlus() {
        int all = client.readAll("/v1/leads?updated_after=2018-01-01T00:00:00Z", "leads").size();
        assertEquals(1000, all);
        assertEquals(client.readAll("/v1/leads?updated_after=2021-06-01T00:00:00%2B00:00", "leads"),
                client.readAll("/v1/leads?updated_after=2021-06-01T00:00:00+00:00", "leads"),
                "a '+' the client left unencoded arrives as a space");
        assertEquals(400, client.get("/v1/leads?updated_after=yesterday").status());
        assertEquals(400, client.get("/v1/leads?created_after=2021-06-01").status());
    }

    @Test
    void eventsServeBothShapesInOneListAndFilter() {
        List<JsonNode> events = client.readAll("/v1/events", "events");
        assertEquals(200, events.size());
        assertTrue(events.stream().anyMatch(e -> e.has("kind") && e.has("event_at") && e.has("user")), "docs shape");
        assertTrue(events.stream().anyMatch(e -> e.has("event_type") && e.has("data") && e.has("created_at")),
                "OpenAPI shape");
        assertTrue(events.stream().allMatch(e -> e.get("id").textValue().startsWith("evt_")));

        List<JsonNode> campaignEvents = client.readAll("/v1/events?group=campaign", "events");
        assertFalse(campaignEvents.isEmpty());
        assertTrue(campaignEvents.stream().allMatch(e -> kindOf(e).startsWith("message_")));

        Instant middle = timeOf(events.get(100));
        List<JsonNode> after = client.readAll("/v1/events?start_at=" + encode(middle.toString()), "events");
        assertEquals(events.subList(101, 200), after, "start_at is exclusive");
    }

    @Test
    void advertisedHostReplacesTheServerAddressInNextPage() {
        SimulatorSettings settings = SimulatorSettings.builder().leads(150).advertisedHost("api.example.test:8443")
                .build();
        try (PersistIqSimulator other = PersistIqSimulator.start(settings)) {
            JsonNode page = new SimulatorClient(other).get("/v1/leads").json();
            assertEquals("http://api.example.test:8443/v1/leads?page=2", page.get("next_page").textValue());
        }
    }

    private static List<String> expectedDataKeys() {
        List<String> keys = new ArrayList<>(LeadGenerator.STANDARD_FIELDS);
        keys.addAll(SimulatorSettings.DEFAULT_CUSTOM_LEAD_FIELDS);
        return keys;
    }

    private static List<String> fieldNames(JsonNode object) {
        return StreamSupport.stream(((Iterable<String>) object::fieldNames).spliterator(), false).toList();
    }

    private static String kindOf(JsonNode event) {
        return event.has("kind") ? event.get("kind").textValue() : event.get("event_type").textValue();
    }

    private static Instant timeOf(JsonNode event) {
        String time = event.has("event_at") ? event.get("event_at").textValue() : event.get("created_at").textValue();
        return OffsetDateTime.parse(time).toInstant();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
