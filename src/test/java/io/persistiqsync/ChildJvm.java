package io.persistiqsync;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the product's command line in a separate JVM (a real process that can be killed). */
public final class ChildJvm {
    private ChildJvm() {
    }

    public static Process start(Map<String, String> settings, Path output, String... args) throws IOException {
        return start(settings, "DEBUG", output, args);
    }

    /** @param logLevel the log's level (DEBUG: the most a log can say) */
    public static Process start(Map<String, String> settings, String logLevel, Path output, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Application.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(new File(System.getProperty("user.dir")))
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("LOG_LEVEL", logLevel);
        return builder.start();
    }
}
