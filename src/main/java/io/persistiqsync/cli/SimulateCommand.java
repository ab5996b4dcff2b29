package io.persistiqsync.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.persistiqsync.simulator.PersistIqSimulator;
import io.persistiqsync.simulator.SimulatorAccount;
import io.persistiqsync.simulator.SimulatorSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Starts the PersistIQ simulator alone on loopback, until stopped (Ctrl-C, SIGTERM). */
@Command(name = "simulate", description = "Serve a simulated PersistIQ API on loopback (for demos, tests and benchmarks).")
public class SimulateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", description = "Port on 127.0.0.1 (0: any free one, printed at start).")
    int port;

    @Option(names = "--key", paramLabel = "KEY", description = "The API key it accepts (in the x-api-key header; any other is refused with a 401).")
    String key = SimulatorSettings.defaults().apiKey();

    @Option(names = "--leads", paramLabel = "N", description = "Leads in the made-up account.")
    int leads = SimulatorSettings.defaults().leads();

    @Option(names = "--users", paramLabel = "N", description = "Users in the made-up account.")
    int users = SimulatorSettings.defaults().users();

    @Option(names = "--campaigns", paramLabel = "N", description = "Campaigns in the made-up account.")
    int campaigns = SimulatorSettings.defaults().campaigns();

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the made-up data: the same seed, the same account.")
    long seed = SimulatorSettings.defaults().seed();

    @Option(names = "--latency-ms", paramLabel = "MS", description = "Delay before every answer, in milliseconds.")
    long latencyMillis;

    @Option(names = "--rate-limit", paramLabel = "N", description = "Requests per minute per key, answered with X-RateLimit-* headers and 429 beyond (0: unlimited).")
    int rateLimit;

    @Option(names = "--account", paramLabel = "NAME:KEY[:RATE]", description = "One more account, repeatable: its own key, its own data "
            + "(seeded from NAME) and its own requests per minute (default: --rate-limit).")
    List<String> accounts = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        SimulatorSettings.Builder builder = SimulatorSettings.builder().port(port).apiKey(key).leads(leads).users(users).campaigns(campaigns)
                .seed(seed).latency(Duration.ofMillis(latencyMillis)).rateLimitPerWindow(rateLimit).rateLimitWindow(Duration.ofMinutes(1));
        for (String account : accounts) {
            String[] parts = account.split(":", -1);
            try {
                if (parts.length < 2 || parts.length > 3) throw new IllegalArgumentException("give NAME:KEY or NAME:KEY:RATE");
                builder.account(parts[0], parts[1], parts.length == 3 ? Integer.parseInt(parts[2]) : rateLimit);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--account " + parts[0] + ": " + e.getMessage());
            }
        }
        SimulatorSettings settings;
        try {
            settings = builder.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--account: " + e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try (PersistIqSimulator simulator = PersistIqSimulator.start(settings)) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
            PrintWriter out = spec.commandLine().getOut();
            out.println("PersistIQ simulator (made-up data) at " + simulator.baseUrl() + " with key " + key + "; Ctrl-C stops it.");
            out.println("Sync from it: PERSISTIQ_BASE_URL=" + simulator.baseUrl() + " PERSISTIQ_API_KEY=" + key
                    + " java -jar target/persistiq-sync.jar sync");
            for (SimulatorAccount a : settings.accounts()) {
                out.println("Account " + a.name() + ": key " + a.apiKey() + ", " + (a.rateLimitPerWindow() == 0 ? "no limit" : a.rateLimitPerWindow()
                        + " requests a minute"));
            }
            out.flush();
            stopped.await();
        }
        return 0;
    }
}
