package io.persistiqsync.cli;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.persistiqsync.runtime.SyncRuntime;
import io.persistiqsync.api.StreamCatalog;
import io.persistiqsync.api.StreamDefinition;
import io.persistiqsync.management.ProgressReporter;
import io.persistiqsync.simulator.PersistIqSimulator;
import io.persistiqsync.sync.StreamResult;
import io.persistiqsync.sync.SyncReport;
import io.persistiqsync.sync.SyncRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** One sync of the selected streams, then exit; prints a summary per stream. */
@Command(name = "sync", description = "Sync the selected streams into the cache once.")
public class SyncCommand implements Callable<Integer> {
    static final String NO_KEY = "error: no API key: set PERSISTIQ_API_KEY (or persistiq.api-key in application.properties),"
            + " or use --demo to sync from the built-in simulator";

    @Spec
    CommandSpec spec;

    @Option(names = "--streams", split = ",", description = "Streams to sync, comma separated. Default: the setting persistiq.streams.")
    List<String> streams;

    @picocli.CommandLine.Mixin
    AccountOption account = new AccountOption();

    @Option(names = "--demo", description = "Start the built-in PersistIQ simulator on loopback and sync from it.")
    boolean demo;

    @Option(names = "--full-pass", description = "Read everything (not only changes) and mark records gone from the API as deleted.")
    boolean fullPass;

    @Option(names = "--full-refresh", description = "Forget state and watermark of the streams and rewrite them.")
    boolean fullRefresh;

    @Option(names = "--progress", defaultValue = "auto", paramLabel = "MODE",
            description = "auto (live on a terminal, else a line every sync.progress-interval on stderr), live, lines or off.")
    String progress;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (streams != null) StreamCatalog.select(streams);
        ProgressReporter.Mode progressMode = progressMode();
        try (Demo demoApi = Demo.startIf(demo, out)) {
            try (SyncRuntime runtime = SyncRuntime.start(demoApi.overrides())) {
                // --account: that one; else every account, side by side (sync.max-parallel-accounts)
                List<String> accounts = account.account != null ? List.of(account.account) : runtime.accounts();
                for (String a : accounts) {
                    if (!runtime.settings(a).hasApiKey()) {
                        spec.commandLine().getErr().println(accounts.size() == 1 && runtime.accounts().size() == 1 ? NO_KEY
                                : "error: account " + a + " has no API key: set persistiq.account." + a + ".api-key (or persistiq.api-key)");
                        return 1;
                    }
                }
                ProgressReporter reporter = runtime.context().getRegistry().lookupByNameAndType(ProgressReporter.REGISTRY_NAME, ProgressReporter.class);
                if (reporter != null) reporter.showOn(spec.commandLine().getErr(), progressMode);
                Map<String, SyncReport> reports;
                try {
                    if (accounts.size() == 1) {
                        String only = accounts.get(0);
                        List<StreamDefinition> selected = StreamCatalog.select(streams != null ? streams : runtime.settings(only).streams());
                        reports = Map.of(only, runtime.sync(only, new SyncRequest(selected, fullPass, fullRefresh)));
                    } else {
                        // each account its own configured streams unless --streams names them
                        reports = runtime.syncAccounts(accounts, streams == null && !fullPass && !fullRefresh ? null
                                : new SyncRequest(StreamCatalog.select(streams != null ? streams : runtime.settings().streams()), fullPass, fullRefresh));
                    }
                } finally {
                    if (reporter != null) reporter.finish();
                }
                boolean succeeded = true;
                for (String a : accounts) {
                    if (accounts.size() > 1) out.println("account " + a);
                    print(reports.get(a), out);
                    succeeded &= reports.get(a).succeeded();
                }
                return succeeded ? 0 : 1;
            }
        }
    }

    private ProgressReporter.Mode progressMode() {
        try {
            return ProgressReporter.Mode.valueOf(progress.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--progress must be auto, live, lines or off, not '" + progress + "'");
        }
    }

    static void print(SyncReport report, PrintWriter out) {
        if (report.skipped()) {
            out.println("skipped: " + report.skippedBecause());
            return;
        }
        out.printf("%-16s %-13s %-10s %8s %8s %10s %8s %8s %6s %9s %8s%n", "stream", "mode", "status", "new", "changed", "unchanged",
                "deleted", "rejected", "pages", "requests", "seconds");
        for (StreamResult r : report.results()) {
            out.printf("%-16s %-13s %-10s %8d %8d %10d %8d %8d %6d %9d %8.1f%n", r.stream(), r.mode() == null ? "-" : r.mode(), r.status(),
                    r.counts().created(), r.counts().changed(), r.counts().unchanged(), r.counts().deleted(), r.counts().rejected(), r.counts().pages(), r.counts().requests(), r.seconds());
        }
        for (StreamResult r : report.results()) {
            if (r.error() != null) out.println(r.stream() + ": " + r.error());
        }
    }

    /** --demo: the simulator on loopback, and the settings that point the sync at it. */
    record Demo(PersistIqSimulator simulator) implements AutoCloseable {
        static Demo startIf(boolean demo, PrintWriter out) {
            if (!demo) return new Demo(null);
            PersistIqSimulator simulator = PersistIqSimulator.start(io.persistiqsync.simulator.SimulatorSettings.defaults());
            out.println("Demo mode: syncing from the built-in PersistIQ simulator at " + simulator.baseUrl()
                    + " (made-up data, not the real API; no API key is used).");
            return new Demo(simulator);
        }

        Map<String, String> overrides() {
            Map<String, String> o = new HashMap<>();
            if (simulator != null) {
                o.put("persistiq.base-url", simulator.baseUrl().toString());
                o.put("persistiq.api-key", simulator.apiKey());
            }
            return o;
        }

        @Override
        public void close() {
            if (simulator != null) simulator.close();
        }
    }
}
