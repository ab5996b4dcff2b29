package io.persistiqsync.management;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Camel's own JSON schema of the YAML DSL (schema/camelYamlDsl.json, shipped in camel-yaml-dsl),
 * applied to a routes file. Problems come back as "file:line: what", the line found by walking the
 * YAML with its positions, so an operator's mistake points at the line to fix.
 */
final class RouteSchema {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{[^{}:]+(?::([^{}]*))?}}");

    private final JsonSchema schema;

    RouteSchema() throws IOException {
        try (InputStream in = RouteSchema.class.getClassLoader().getResourceAsStream("schema/camelYamlDsl.json")) {
            if (in == null) throw new IllegalStateException("schema/camelYamlDsl.json is not on the class path (camel-yaml-dsl)");
            // typeLoose: Camel reads every YAML scalar as text and converts it to the option's type, so
            // "constant: false" and "autoStartup: 'true'" are both fine; the schema is checked the same way
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER).typeLoose(true).build();
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in, config);
        }
    }

    /** The problems of one file, each "file:line: message"; empty when Camel's schema accepts it. */
    List<String> problems(String file, String yaml) {
        Optional<Node> root;
        try {
            root = new Compose(LoadSettings.builder().setLabel(file).build()).composeString(yaml);
        } catch (RuntimeException notYaml) {
            return List.of(file + ": not YAML: " + notYaml.getMessage().replaceAll("\\s+", " "));
        }
        if (root.isEmpty()) return List.of(file + ":1: empty: a routes file holds a list of routes");
        Map<String, Integer> lines = new HashMap<>();
        JsonNode json = toJson(root.get(), "", lines);
        return schema.validate(json).stream()
                .map(m -> file + ":" + lineOf(m, lines) + ": " + m.getMessage())
                .sorted()
                .distinct()
                .toList();
    }

    /** The line of the property a message names (one not allowed, say), else of the deepest node of its location. */
    private static int lineOf(ValidationMessage m, Map<String, Integer> lines) {
        String pointer = m.getInstanceLocation().toString();
        if (m.getProperty() != null && lines.containsKey(pointer + "/" + m.getProperty())) return lines.get(pointer + "/" + m.getProperty());
        while (true) {
            Integer line = lines.get(pointer);
            if (line != null) return line;
            int cut = pointer.lastIndexOf('/');
            if (cut < 0) return 1;
            pointer = pointer.substring(0, cut);
        }
    }

    private static JsonNode toJson(Node node, String pointer, Map<String, Integer> lines) {
        lines.put(pointer, node.getStartMark().map(mark -> mark.getLine() + 1).orElse(1));
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (node instanceof MappingNode map) {
            ObjectNode object = f.objectNode();
            for (NodeTuple t : map.getValue()) {
                String key = ((ScalarNode) t.getKeyNode()).getValue();
                String child = pointer + "/" + key.replace("~", "~0").replace("/", "~1");
                object.set(key, toJson(t.getValueNode(), child, lines));
                lines.put(child, t.getKeyNode().getStartMark().map(mark -> mark.getLine() + 1).orElse(1));
            }
            return object;
        }
        if (node instanceof SequenceNode seq) {
            ArrayNode array = f.arrayNode();
            for (int i = 0; i < seq.getValue().size(); i++) array.add(toJson(seq.getValue().get(i), pointer + "/" + i, lines));
            return array;
        }
        ScalarNode scalar = (ScalarNode) node;
        if (Tag.NULL.equals(scalar.getTag())) return f.nullNode();
        // a whole-value placeholder stands for its default ({{sync.schedule-enabled:false}}: false), as Camel
        // resolves it before converting; without a default it is checked as the text it is
        Matcher placeholder = PLACEHOLDER.matcher(scalar.getValue());
        return f.textNode(placeholder.matches() && placeholder.group(1) != null ? placeholder.group(1) : scalar.getValue());
    }
}
