package io.persistiqsync;

import java.io.PrintWriter;

import io.persistiqsync.cli.PersistIqSyncCommand;
import picocli.CommandLine;

/** {@code java -jar persistiq-sync.jar <command>}: see {@link PersistIqSyncCommand}. */
public final class Application {
    private Application() {
    }

    public static void main(String... args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command; answers its exit code (0 ok, 1 failed, 2 bad usage). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return PersistIqSyncCommand.commandLine(out, err).execute(args);
    }
}
