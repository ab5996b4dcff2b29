package io.persistiqsync.cli;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.persistiqsync.runtime.SyncRuntime;
import io.persistiqsync.config.SyncSettings;
import io.persistiqsync.api.StreamCatalog;
import io.persistiqsync.cache.CacheDialect;
import io.persistiqsync.cache.CacheStore;
import io.persistiqsync.api.StreamDefinition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Lists the streams: primary key, fields and types, how they read incrementally, and what they cost. */
@Command(name = "streams", description = "List the available streams with their fields.")
public class StreamsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @picocli.CommandLine.Mixin
    AccountOption account = new AccountOption();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (account.account != null) SyncRuntime.readSettings(account.account); // an unknown name: one line naming the known ones
        Map<String, Map<String, SeenField>> seen = fieldsAsLastSeen(account.account);
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ArrayNode all = mapper.createArrayNode();
            for (StreamDefinition s : StreamCatalog.all()) {
                ObjectNode node = all.addObject();
                node.put("name", s.name());
                node.put("primary_key", StreamDefinition.PRIMARY_KEY);
                node.put("incremental", s.filter().parameter);
                node.put("parent", s.parent());
                node.put("default", s.defaultSelected());
                node.put("cost", s.cost());
                ObjectNode fields = node.putObject("fields");
                s.fields().forEach((name, type) -> fields.put(name, type.name().toLowerCase()));
                s.derived().keySet().forEach(name -> fields.put(name, "text"));
                seen.getOrDefault(s.name(), Map.of()).forEach((field, type) -> {
                    if (!fields.has(field)) fields.put(field, type.type());
                });
            }
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(all));
            return 0;
        }
        for (StreamDefinition s : StreamCatalog.all()) {
            out.printf("%s%s  (primary key: id; %s; %s)%n", s.name(), s.defaultSelected() ? "" : " [opt-in]",
                    s.filter().parameter == null ? "every sync reads it all" : "incremental by " + s.filter().parameter, s.cost());
            for (Map.Entry<String, io.persistiqsync.api.FieldType> f : s.fields().entrySet()) {
                out.printf("    %-20s %s%n", f.getKey(), f.getValue().name().toLowerCase());
            }
            s.derived().forEach((name, pointer) -> out.printf("    %-20s text (from %s)%n", name, pointer));
            if (s.flattenData()) out.printf("    %-20s text (one column per lead field, custom ones included)%n", "data__<field>");
            seen.getOrDefault(s.name(), Map.of()).forEach((field, type) -> {
                if (!s.fields().containsKey(field) && !field.startsWith("derived.")) out.printf("    %-20s %s (column %s, as last synced)%n", field, type.type(), type.column());
            });
        }
        return 0;
    }

    /** A field as the last sync stored it. */
    private record SeenField(String type, String column) {
    }

    /**
     * Fields the last syncs met beyond the documented ones (custom lead fields, new API fields), from
     * the cache's {@code _fields}, when there is a cache to read (nothing is created otherwise).
     */
    private static Map<String, Map<String, SeenField>> fieldsAsLastSeen(String account) {
        Map<String, Map<String, SeenField>> seen = new java.util.TreeMap<>();
        try {
            SyncSettings s = SyncRuntime.readSettings(account);
            try (Connection c = CacheStore.openReadOnly(s.cacheTarget());
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT stream, field, column_type, column_name FROM "
                            + CacheDialect.forUrl(s.cacheUrl()).qualified(s.cacheSchema(), "_fields") + " ORDER BY stream, position")) {
                while (rs.next()) {
                    seen.computeIfAbsent(rs.getString(1), k -> new java.util.LinkedHashMap<>())
                            .put(rs.getString(2), new SeenField(rs.getString(3).toLowerCase(), rs.getString(4)));
                }
            }
        } catch (Exception noCacheYet) {
            // no cache (or no sync yet): the documented fields are all there is to show
        }
        return seen;
    }
}
