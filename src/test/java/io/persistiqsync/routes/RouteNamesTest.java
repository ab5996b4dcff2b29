package io.persistiqsync.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint, exchange property, header and bean a route in routes/ names is declared in
 * {@link RouteNames}, the one place Java takes them from: renaming one side alone fails here, not in
 * the middle of a sync.
 */
class RouteNamesTest {
    /** the names a route may use without their being ours: Camel's own headers and plain HTTP headers */
    private static final Set<String> NOT_OURS = new TreeSet<>(Set.of("Accept"));

    static {
        for (Field f : Exchange.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                try {
                    NOT_OURS.add((String) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /** where YAML routes name things: expressions, endpoint URIs, bean references and set/remove steps */
    private static final List<Pattern> USES = List.of(
            Pattern.compile("exchangeProperty\\.(\\w+)"),
            Pattern.compile("exchangeProperty\\[['\"]?(\\w+)"),
            Pattern.compile("\\bheaders?\\.(\\w+)"),
            Pattern.compile("\\$\\{bean:(\\w+)"),
            Pattern.compile("((?:direct|seda):[\\w-]+)"),
            Pattern.compile("(?m)^\\s*(?:-\\s*)?(?:ref|redeliveryPolicyRef|idempotentRepository|aggregationStrategy|header):\\s*['\"]?([\\w]+)"),
            Pattern.compile("(?m)(?:setProperty|setHeader|removeProperty|removeHeader):\\s*\\n\\s+(?:name|propertyName|headerName):\\s*['\"]?([\\w]+)"));

    @Test
    void everyNameARouteUsesIsDeclared() throws IOException {
        Set<String> declared = declared();
        List<String> undeclared = new ArrayList<>();
        List<Path> files = routeFiles();
        assertFalse(files.isEmpty());
        Set<String> used = new TreeSet<>();
        for (Path file : files) {
            for (String name : uses(Files.readString(file))) {
                used.add(name);
                if (!declared.contains(name) && !NOT_OURS.contains(name)) undeclared.add(file.getFileName() + ": " + name);
            }
        }
        assertTrue(undeclared.isEmpty(), () -> "names used by routes/ but not declared in RouteNames:\n" + String.join("\n", undeclared));
        // and the check sees what the routes hold (a pattern that matched nothing would pass vacuously)
        assertTrue(used.containsAll(Set.of(RouteNames.SYNC_ALL, RouteNames.STREAM_RUN, RouteNames.RECORD_STATE_KEY, RouteNames.RECORD_CHANGED,
                RouteNames.RUN_PLANNER, RouteNames.CONFIRM_DELETES, RouteNames.LOOKUP_RECORD, RouteNames.BACKOFF_RETRY_POLICY, RouteNames.RECORD_BATCH)), used::toString);
    }

    @Test
    void everyEndpointAndBeanDeclaredIsUsedByARoute() throws IOException {
        Set<String> used = new TreeSet<>();
        for (Path file : routeFiles()) used.addAll(uses(Files.readString(file)));
        Set<String> stale = new TreeSet<>(declared());
        stale.removeAll(used);
        // RECORDS_KEY and LOOKUP_ID are read by beans the routes call, never spelled in YAML
        stale.remove(RouteNames.RECORDS_KEY);
        stale.remove(RouteNames.LOOKUP_ID);
        assertTrue(stale.isEmpty(), () -> "declared in RouteNames but used by no route: " + stale);
    }

    @Test
    void aMisspelledNameIsFound() {
        String route = """
                - route:
                    from:
                      uri: direct:sync-al
                      steps:
                        - setProperty:
                            name: streamRunn
                            constant: x
                        - filter:
                            simple: "${exchangeProperty.pagePth} != null"
                """;
        Set<String> found = uses(route);
        assertEquals(Set.of("direct:sync-al", "streamRunn", "pagePth"), found);
        assertFalse(declared().stream().anyMatch(found::contains));
    }

    private static Set<String> uses(String yaml) {
        Set<String> names = new TreeSet<>();
        String withoutComments = yaml.replaceAll("(?m)#.*$", "");
        for (Pattern p : USES) {
            Matcher m = p.matcher(withoutComments);
            while (m.find()) names.add(m.group(1));
        }
        return names;
    }

    private static Set<String> declared() {
        Set<String> names = new TreeSet<>();
        for (Field f : RouteNames.class.getFields()) {
            try {
                names.add((String) f.get(null));
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return names;
    }

    private static List<Path> routeFiles() throws IOException {
        try (Stream<Path> list = Files.list(Path.of("routes"))) {
            return list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }
}
