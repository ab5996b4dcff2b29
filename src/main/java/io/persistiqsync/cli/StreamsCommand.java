package io.persistiqsync.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.persistiqsync.api.StreamCatalog;
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

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
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
        }
        return 0;
    }
}
