package io.persistiqsync.simulator;

/**
 * One more account the simulator serves besides the main one (an agency's other workspaces): its own
 * API key, its own data and its own rate limit. Its data has the main account's sizes and shapes but is
 * seeded from its name, so two accounts hold different leads and each is the same run after run.
 *
 * @param name               how tests and the request log name it
 * @param apiKey             the key that reaches this account (and no other)
 * @param rateLimitPerWindow requests per window for this key (0 = off); the window is the main one's
 */
public record SimulatorAccount(String name, String apiKey, int rateLimitPerWindow) {

    public SimulatorAccount {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("an account needs a name");
        if (apiKey == null || apiKey.isEmpty()) throw new IllegalArgumentException("account " + name + " needs an API key");
        if (rateLimitPerWindow < 0) throw new IllegalArgumentException("account " + name + ": rateLimitPerWindow must not be negative");
    }

    /** The account's own settings: the main ones with its key, its limit and a seed of its own. */
    SimulatorSettings settings(SimulatorSettings main) {
        return main.toBuilder().apiKey(apiKey).rateLimitPerWindow(rateLimitPerWindow).seed(main.seed() * 31 + name.hashCode())
                .accounts(java.util.List.of()).build();
    }
}
