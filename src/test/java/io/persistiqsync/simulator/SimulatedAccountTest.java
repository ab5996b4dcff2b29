package io.persistiqsync.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Changes to the account as clients see them over HTTP, determinism, and a million leads. */
class SimulatedAccountTest {

    private PersistIqSimulator simulator;
    private SimulatorClient client;
    private SimulatedAccount account;

    private void start(SimulatorSettings settings) {
        simulator = PersistIqSimulator.start(settings);
        client = new SimulatorClient(simulator);
        account = simulator.account();
    }

    @AfterEach
    void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void updatedAfterReturnsOnlyTheLeadsChangedSince() {
        start(SimulatorSettings.defaults());
        String since = OffsetDateTime.now(ZoneOffset.ofHours(2)).toString(); // ends with +02:00
        assertTrue(leadIds("/v1/leads?updated_after=" + encode(since)).isEmpty(), "generated leads are older");

        List<String> edited = account.editLeads(5);
        List<String> added = account.addLeads(3);
        String touched = account.liveLeadIds().get(17);
        account.setLeadField(touched, "city", null);

        Set<String> changed = new HashSet<>(edited);
        changed.addAll(added);
        changed.add(touched);
        assertEquals(changed, new HashSet<>(leadIds("/v1/leads?updated_after=" + encode(since))));
        assertEquals(new HashSet<>(added), new HashSet<>(leadIds("/v1/leads?created_after=" + encode(since))));
        assertEquals(leadIds("/v1/leads?updated_after=" + encode(since)),
                leadIds("/v1/leads?updated_after=" + since), "an unencoded '+' offset reads the same");
        assertTrue(account.lead(touched).at("/data/city").isNull());
    }

    @Test
    void editedLeadsAreSpreadOverTheListAndChangeTheirData() {
        start(SimulatorSettings.defaults());
        List<String> before = account.liveLeadIds();

        List<String> edited = account.editLeads(4);

        List<Integer> positions = edited.stream().map(before::indexOf).toList();
        assertEquals(List.of(125, 375, 625, 875), positions);
        for (String id : edited) {
            assertTrue(account.lead(id).at("/data/title").textValue().startsWith("Edited title #"));
        }
        assertEquals(before, account.liveLeadIds(), "editing keeps the order");
    }

    @Test
    void removedLeadsDisappearEverywhereAndRestoredOnesComeBack() {
        start(SimulatorSettings.builder().leads(300).campaignLeadsPerCampaign(300).build());
        List<String> removed = account.removeLeads(10);

        List<String> listed = leadIds("/v1/leads");
        assertEquals(290, listed.size());
        assertEquals(290, account.liveLeadCount());
        assertTrue(removed.stream().noneMatch(listed::contains));
        String campaignId = account.campaignIds().get(0);
        List<JsonNode> enrolled = client.readAll("/v1/campaigns/" + campaignId + "/leads", "campaign_leads");
        assertEquals(290, enrolled.size(), "a campaign enrolling every lead lists only live ones");
        assertEquals(404, client.get("/v1/leads/" + removed.get(0)).status());
        assertNull(account.lead(removed.get(0)));

        String since = OffsetDateTime.now(ZoneOffset.UTC).toString();
        account.restoreLead(removed.get(3));

        assertEquals(291, leadIds("/v1/leads").size());
        assertEquals(List.of(removed.get(3)), leadIds("/v1/leads?updated_after=" + encode(since)));
        assertThrows(IllegalArgumentException.class, () -> account.restoreLead(removed.get(3)));
    }

    @Test
    void aNewCustomFieldAppearsInFieldsAndInNewAndEditedLeadsOnly() {
        start(SimulatorSettings.builder().leads(200).build());
        String untouched = account.liveLeadIds().get(0);

        account.addCustomLeadField("Nouveau champ ✨");
        String added = account.addLeads(1).get(0);
        String edited = account.editLeads(1).get(0);

        JsonNode fields = client.get("/v1/lead_fields").json().get("lead_fields");
        assertEquals("Nouveau champ ✨", fields.get(fields.size() - 1).get("name").textValue());
        assertTrue(account.lead(added).get("data").has("Nouveau champ ✨"));
        assertTrue(account.lead(edited).get("data").has("Nouveau champ ✨"));
        assertFalse(account.lead(untouched).get("data").has("Nouveau champ ✨"));
        assertThrows(IllegalArgumentException.class, () -> account.addCustomLeadField("first_name"));
    }

    @Test
    void setLeadFieldTakesAnyFieldAndValue() {
        start(SimulatorSettings.builder().leads(50).build());
        String id = account.liveLeadIds().get(3);

        account.setLeadField(id, "not a defined field", IntNode.valueOf(7));

        JsonNode lead = client.get("/v1/leads/" + id).json().get("lead");
        assertEquals(7, lead.at("/data/not a defined field").intValue());
    }

    @Test
    void usersComeAndGo() {
        start(SimulatorSettings.defaults());
        String added = account.addUser();
        String removed = account.userIds().get(1);

        account.removeUser(removed);

        List<String> listed = client.readAll("/v1/users", "users").stream().map(u -> u.get("id").textValue()).toList();
        assertEquals(account.userIds(), listed);
        assertTrue(listed.contains(added));
        assertFalse(listed.contains(removed));
    }

    @Test
    void editedAndRemovedCampaigns() {
        start(SimulatorSettings.defaults());
        String edited = account.campaignIds().get(0);
        String removed = account.campaignIds().get(1);
        String nameBefore = client.get("/v1/campaigns").json().at("/campaigns/0/name").textValue();

        account.editCampaign(edited);
        account.removeCampaign(removed);

        List<JsonNode> campaigns = client.readAll("/v1/campaigns", "campaigns");
        assertEquals(2, campaigns.size());
        assertEquals(nameBefore + " (edited)", campaigns.get(0).get("name").textValue());
        assertTrue(campaigns.stream().noneMatch(c -> c.get("id").textValue().equals(removed)));
        assertEquals(404, client.get("/v1/campaigns/" + removed + "/leads").status());
        assertEquals(404, client.get("/v1/campaigns/" + removed + "/replies").status());
        assertFalse(client.get("/v1/users").body().contains(removed), "no mailbox sends for it any more");
    }

    @Test
    void theSameSeedGivesTheSameAccountAndAnotherSeedAnother() {
        SimulatorSettings settings = SimulatorSettings.builder().seed(7).build();
        List<String> paths = List.of("/v1/users", "/v1/leads", "/v1/leads?page=4", "/v1/campaigns", "/v1/events",
                "/v1/lead_fields", "/v1/lead_statuses", "/v1/dnc_domains", "/v1/tags");
        List<String> first = bodies(settings, paths);
        List<String> second = bodies(settings, paths);
        List<String> otherSeed = bodies(settings.toBuilder().seed(8).build(), paths);

        assertEquals(first, second);
        assertNotEquals(first.get(1), otherSeed.get(1));
    }

    @Test
    void aMillionLeadsArePagedWithoutGeneratingThemAll() {
        start(SimulatorSettings.builder().leads(1_000_000).build());

        long started = System.nanoTime();
        JsonNode page = client.get("/v1/leads?page=9000").json();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertTrue(took.toMillis() < 3_000, "page 9,000 took " + took);
        assertEquals(100, page.get("leads").size());
        assertTrue(page.get("next_page").textValue().endsWith("/v1/leads?page=9001"));

        account.removeLeads(3);
        List<String> edited = account.editLeads(2);
        JsonNode last = client.get("/v1/leads?page=10000").json();
        assertEquals(97, last.get("leads").size(), "999,997 live leads");
        assertFalse(last.get("has_more").booleanValue());
        assertEquals(999_997, account.liveLeadCount());
        assertEquals(new HashSet<>(edited), new HashSet<>(leadIds("/v1/leads?updated_after="
                + encode(Instant.now().minus(Duration.ofMinutes(1)).toString()))));
    }

    private List<String> bodies(SimulatorSettings settings, List<String> paths) {
        try (PersistIqSimulator other = PersistIqSimulator.start(settings)) {
            SimulatorClient otherClient = new SimulatorClient(other);
            List<String> bodies = new ArrayList<>();
            for (String path : paths) {
                // next_page carries the port, which differs between runs
                bodies.add(otherClient.get(path).body().replace(other.baseUrl().toString(), "BASE"));
            }
            return bodies;
        }
    }

    private List<String> leadIds(String pathAndQuery) {
        return client.readAll(pathAndQuery, "leads").stream().map(lead -> lead.get("id").textValue()).toList();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
