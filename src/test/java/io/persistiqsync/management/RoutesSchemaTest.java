package io.persistiqsync.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every file in routes/ passes Camel's own YAML DSL schema, so an edit Camel would reject fails the
 * build with the file and line instead of at start on a server.
 */
class RoutesSchemaTest {
    static RouteSchema schema;

    @BeforeAll
    static void loadSchema() throws IOException {
        schema = new RouteSchema();
    }

    @Test
    void everyRoutesFileFollowsCamelsSchema() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(Path.of("routes"))) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "routes/ has the routes");
        List<String> problems = new ArrayList<>();
        for (Path f : files) problems.addAll(schema.problems(f.toString(), Files.readString(f)));
        assertTrue(problems.isEmpty(), () -> "routes Camel would reject:\n" + String.join("\n", problems));
    }

    @Test
    void aMistakeIsReportedWithFileAndLine() {
        String yaml = """
                - route:
                    id: broken
                    from:
                      uri: direct:broken
                      steps:
                        - log: "fine"
                        - too: direct:nowhere
                """;
        List<String> problems = schema.problems("routes/broken.camel.yaml", yaml);
        assertFalse(problems.isEmpty());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("routes/broken.camel.yaml:7: ") && p.contains("too")), problems::toString);
    }

    @Test
    void aMisplacedOptionIsReportedToo() {
        String yaml = """
                - route:
                    id: broken
                    from:
                      uri: direct:broken
                      steps:
                        - filter:
                            simple: "${body} != null"
                            stepz:
                              - log: "x"
                """;
        List<String> problems = schema.problems("x.yaml", yaml);
        assertEquals(1, problems.stream().filter(p -> p.startsWith("x.yaml:8: ")).count(), problems::toString);
    }
}
