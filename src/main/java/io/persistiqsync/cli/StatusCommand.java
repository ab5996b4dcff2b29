package io.persistiqsync.cli;

import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.persistiqsync.runtime.SyncRuntime;
import io.persistiqsync.config.SyncSettings;
import io.persistiqsync.api.StreamCatalog;
import io.persistiqsync.api.StreamDefinition;
import io.persistiqsync.cache.CacheStore;
import io.persistiqsync.state.SyncRunLog;
import io.persistiqsync.state.SyncRunLog.Run;
import io.persistiqsync.cache.CacheUrls;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The last runs per stream, from {@code _sync_runs}. The exit code is for cron and monitoring: 0 when
 * the last run of every selected stream succeeded (or is running, was interrupted, or never ran), 1 when
 * the last run of any of them failed or the cache cannot be read.
 */
@Command(name = "status", description = "Show the last runs per stream (from _sync_runs); exit 1 if the last run of a selected stream failed.")
public class StatusCommand implements Callable<Integer> {
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @Spec
    CommandSpec spec;

    @Option(names = "--streams", split = ",", description = "Streams to show, comma separated. Default: the setting persistiq.streams.")
    List<String> streams;

    @Option(names = "--runs", defaultValue = "1", paramLabel = "N", description = "Runs to show per stream, newest first.")
    int runs;

    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @picocli.CommandLine.Mixin
    AccountOption account = new AccountOption();

    @Override
    public Integer call() throws Exception {
        if (runs < 1) throw new ParameterException(spec.commandLine(), "--runs must be at least 1");
        if (streams != null) StreamCatalog.select(streams); // an unknown name: a one-line error naming the known ones
        // --account: that one; else every account, each under its name when there are several
        Map<String, SyncSettings> accounts = SyncRuntime.readAccounts(account.account == null ? null : List.of(account.account));
        boolean named = accounts.size() > 1 || !accounts.containsKey(SyncSettings.DEFAULT_ACCOUNT);
        PrintWriter out = spec.commandLine().getOut();
        boolean failed = false;
        ArrayNode all = new ObjectMapper().createArrayNode();
        for (Map.Entry<String, SyncSettings> a : accounts.entrySet()) {
            SyncSettings settings = a.getValue();
            List<StreamDefinition> selected = StreamCatalog.select(streams != null ? streams : settings.streams());
            Map<String, List<Run>> byStream = new LinkedHashMap<>();
            try (CacheStore db = settings.openCache()) {
                for (StreamDefinition s : selected) byStream.put(s.name(), SyncRunLog.lastRuns(db, s.name(), runs));
            } catch (SQLException e) {
                spec.commandLine().getErr().println("error: cannot read " + (named ? "account " + a.getKey() + "'s cache " : "")
                        + CacheUrls.withoutCredentials(settings.cacheUrl()) + ": " + PersistIqSyncCommand.oneLine(e)
                        + " (a DuckDB file is held by a sync while it runs: try again after it)");
                return 1;
            }
            if (json) {
                addJson(named ? a.getKey() : null, byStream, all);
            } else {
                if (named) out.println("account " + a.getKey());
                printTable(byStream, out);
            }
            failed |= byStream.values().stream().anyMatch(r -> !r.isEmpty() && SyncRunLog.FAILED.equals(r.get(0).status()));
        }
        if (json) out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(all));
        return failed ? 1 : 0;
    }

    private static void printTable(Map<String, List<Run>> byStream, PrintWriter out) {
        out.printf("%-16s %6s %-11s %-13s %-19s %8s %8s %8s %10s %8s %8s %6s %s%n", "stream", "run", "status", "mode", "started", "seconds", "new",
                "changed", "unchanged", "deleted", "rejected", "pages", "node");
        List<String> errors = new ArrayList<>();
        for (Map.Entry<String, List<Run>> e : byStream.entrySet()) {
            if (e.getValue().isEmpty()) {
                out.printf("%-16s %6s %s%n", e.getKey(), "-", "never");
                continue;
            }
            for (Run r : e.getValue()) {
                out.printf("%-16s %6d %-11s %-13s %-19s %8s %8d %8d %10d %8d %8d %6d %s%n", r.stream(), r.id(), r.status(), r.mode() == null ? "-" : r.mode(),
                        r.startedAt() == null ? "-" : LOCAL.format(r.startedAt()), r.seconds() == null ? "-" : String.format("%.1f", r.seconds()),
                        r.counts().created(), r.counts().changed(), r.counts().unchanged(), r.counts().deleted(), r.counts().rejected(), r.counts().pages(),
                        r.node() == null || r.node().isEmpty() ? "-" : r.node());
                if (r.error() != null && !r.error().isBlank()) errors.add(r.stream() + " run " + r.id() + ": " + r.error());
            }
        }
        errors.forEach(out::println);
    }

    /** One object per stream; with several accounts each says its account. */
    private static void addJson(String account, Map<String, List<Run>> byStream, ArrayNode all) {
        for (Map.Entry<String, List<Run>> e : byStream.entrySet()) {
            ObjectNode stream = all.addObject();
            if (account != null) stream.put("account", account);
            stream.put("stream", e.getKey());
            stream.put("last_status", e.getValue().isEmpty() ? "never" : e.getValue().get(0).status());
            ArrayNode list = stream.putArray("runs");
            for (Run r : e.getValue()) {
                ObjectNode n = list.addObject();
                n.put("id", r.id());
                n.put("status", r.status());
                n.put("mode", r.mode());
                n.put("started_at", r.startedAt() == null ? null : r.startedAt().toString());
                n.put("finished_at", r.finishedAt() == null ? null : r.finishedAt().toString());
                if (r.seconds() == null) n.putNull("seconds");
                else n.put("seconds", r.seconds());
                n.put("records_new", r.counts().created());
                n.put("records_changed", r.counts().changed());
                n.put("records_unchanged", r.counts().unchanged());
                n.put("records_deleted", r.counts().deleted());
                n.put("records_rejected", r.counts().rejected());
                n.put("pages", r.counts().pages());
                n.put("requests", r.counts().requests());
                n.put("error", r.error());
                n.put("node", r.node());
            }
        }
    }
}
