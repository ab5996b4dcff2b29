package io.persistiqsync.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Several accounts on one simulator: each key reaches its own data and is limited on its own. */
class SimulatorAccountsTest {

    @Test
    void eachKeyReachesItsOwnAccountsData() {
        SimulatorSettings settings = SimulatorSettings.builder().apiKey("key-main").leads(250).users(2).campaigns(1)
                .account("acme", "key-acme", 0).account("globex", "key-globex", 0).build();
        try (PersistIqSimulator simulator = PersistIqSimulator.start(settings)) {
            SimulatorClient client = new SimulatorClient(simulator);
            Set<String> seen = new HashSet<>();
            for (String[] account : new String[][] {{SimulatorSettings.MAIN_ACCOUNT, "key-main"}, {"acme", "key-acme"}, {"globex", "key-globex"}}) {
                List<String> ids = client.readAll("/v1/leads", "leads", account[1]).stream().map(l -> l.get("id").asText()).toList();
                assertEquals(new HashSet<>(simulator.account(account[0]).liveLeadIds()), new HashSet<>(ids), account[0] + "'s own leads");
                assertEquals(250, ids.size(), "the main account's sizes");
                assertTrue(seen.add(ids.get(0)), "no two accounts share their data");
            }
            // the same account each time: its data is seeded from its name
            try (PersistIqSimulator again = PersistIqSimulator.start(settings)) {
                assertEquals(simulator.account("acme").liveLeadIds(), again.account("acme").liveLeadIds());
            }
            // an edit in one account shows in that account only
            String edited = simulator.account("acme").editLeads(1).get(0);
            JsonNode lead = client.getWithKey("/v1/leads/" + edited, "key-acme").json();
            assertEquals(edited, lead.path("lead").path("id").asText(), lead.toString());
            assertEquals(404, client.getWithKey("/v1/leads/" + edited, "key-globex").status(), "not globex's lead");

            assertEquals(401, client.getWithKey("/v1/users", "key-nobody").status());
            Set<String> logged = new HashSet<>();
            simulator.requests().requests().forEach(r -> logged.add(r.account()));
            assertEquals(new HashSet<>(java.util.Arrays.asList("main", "acme", "globex", null)), logged, "the log says which account each request reached");
        }
    }

    @Test
    void eachAccountHasItsOwnRateLimit() {
        SimulatorSettings settings = SimulatorSettings.builder().apiKey("key-main").users(2).leads(10).campaigns(1)
                .rateLimitPerWindow(5).rateLimitWindow(Duration.ofMinutes(1)).account("acme", "key-acme", 2).build();
        try (PersistIqSimulator simulator = PersistIqSimulator.start(settings)) {
            SimulatorClient client = new SimulatorClient(simulator);
            List<Integer> acme = java.util.stream.IntStream.range(0, 3).mapToObj(i -> client.getWithKey("/v1/users", "key-acme").status()).toList();
            assertEquals(List.of(200, 200, 429), acme, "acme: 2 a minute");
            SimulatorClient.Response last = client.getWithKey("/v1/users", "key-acme");
            assertEquals("2", last.header("X-RateLimit-Limit"));
            List<Integer> main = java.util.stream.IntStream.range(0, 5).mapToObj(i -> client.getWithKey("/v1/users", "key-main").status()).toList();
            assertEquals(List.of(200, 200, 200, 200, 200), main, "acme's spent window is not the main account's");
            assertEquals(429, client.getWithKey("/v1/users", "key-main").status());

            simulator.setRateLimit("acme", 0, Duration.ofMinutes(1));
            assertEquals(200, client.getWithKey("/v1/users", "key-acme").status(), "acme's limit lifted alone");
            assertEquals(429, client.getWithKey("/v1/users", "key-main").status());
        }
    }

    @Test
    void accountsAreCheckedAtBuild() {
        assertThrows(IllegalArgumentException.class, () -> SimulatorSettings.builder().apiKey("k").account("acme", "k", 0).build(),
                "a key reaches one account");
        assertThrows(IllegalArgumentException.class, () -> SimulatorSettings.builder().account("acme", "k1", 0).account("acme", "k2", 0).build());
        assertThrows(IllegalArgumentException.class, () -> SimulatorSettings.builder().account("main", "k1", 0).build());
        assertNotEquals(SimulatorSettings.defaults().accounts(), null);
        assertTrue(SimulatorSettings.defaults().accounts().isEmpty(), "one account unless told: today's single key");
    }
}
