package io.persistiqsync.routes;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Every Camel component a route or the Kamelet names is a dependency of the product, not only of the
 * tests: the tests' class path has more components than the jar (camel-test brings some), so a route
 * using one the jar lacks passes the suite and fails `java -jar` ("No endpoint could be found for: seda://...").
 */
class RouteComponentsTest {
    /** an endpoint URI in YAML: `uri: seda:x`, `to: "kamelet:..."` */
    private static final Pattern ENDPOINT = Pattern.compile("(?m)^[ \\t]*-?[ \\t]*(?:uri|to|toD):[ \\t]*\"?([a-z][a-z0-9-]*):");
    /** a dependency of the pom without a scope of its own (compile), e.g. camel-seda */
    private static final Pattern MAIN_DEPENDENCY = Pattern.compile("<dependency>\\s*<groupId>org\\.apache\\.camel</groupId>\\s*<artifactId>(camel-[a-z0-9-]+)</artifactId>\\s*</dependency>");

    @Test
    void everyComponentTheRoutesNameShipsInTheJar() throws IOException {
        Set<String> shipped = new TreeSet<>();
        Matcher d = MAIN_DEPENDENCY.matcher(Files.readString(Path.of("pom.xml")));
        while (d.find()) shipped.add(d.group(1));

        Set<String> used = new TreeSet<>();
        for (Path folder : new Path[] {Path.of("routes"), Path.of("src/main/resources/kamelets")}) {
            try (Stream<Path> files = Files.list(folder)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                    Matcher m = ENDPOINT.matcher(Files.readString(f));
                    while (m.find()) used.add(m.group(1));
                }
            }
        }
        assertTrue(used.contains("direct") && used.contains("quartz"), "the scan finds the routes' endpoints: " + used);
        for (String scheme : used) {
            assertTrue(shipped.contains("camel-" + scheme), "routes use " + scheme + ": but camel-" + scheme + " is not a main dependency in pom.xml "
                    + shipped);
        }
    }
}
