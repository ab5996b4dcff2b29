package io.persistiqsync.management;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The operator's edit the README shows: in sync-stream.camel.yaml, every lead read also goes to
 * exports/leads.ndjson (one JSON record a line), through a step added before the record is shaped.
 */
final class LeadsExportEdit {
    static final String STEP = """
            # added: every lead read also goes to exports/leads.ndjson, one JSON record a line
            - filter:
                simple: "${exchangeProperty.streamRun.streamName} == 'leads'"
                steps:
                  - to:
                      uri: file:%s
                      parameters:
                        fileName: leads.ndjson
                        fileExist: Append
                        appendChars: "\\\\n"
            """;

    private LeadsExportEdit() {
    }

    /** A copy of the project's routes/ in a folder of its own. */
    static Path copyRoutes(Path parent) throws IOException {
        Path routes = Files.createDirectories(parent.resolve("routes"));
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path f : files.toList()) Files.copy(f, routes.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        return routes;
    }

    /** Edits sync-stream.camel.yaml in that folder as an operator would: in an editor, saved in one go. */
    static void apply(Path routes) throws IOException {
        apply(routes, "exports");
    }

    /** The same edit writing to another folder (a test's own, rather than the JVM's working directory). */
    static void apply(Path routes, String folder) throws IOException {
        Path file = routes.resolve("sync-stream.camel.yaml");
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        int shaper = -1;
        // the first shaping step: the page's records (confirm-deletes shapes the records a full pass missed, later in the file)
        for (int i = 0; i < lines.size() && shaper < 0; i++) if (lines.get(i).trim().equals("ref: recordShaper")) shaper = i - 1; // its "- bean:"
        if (shaper < 0) throw new IllegalStateException("no recordShaper step in " + file);
        String indent = lines.get(shaper).substring(0, lines.get(shaper).indexOf('-'));
        lines.addAll(shaper, STEP.formatted(folder).lines().map(l -> indent + l).toList());
        Path edited = Files.write(routes.resolve("sync-stream.camel.yaml.tmp"), lines);
        Files.move(edited, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
