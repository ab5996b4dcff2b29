package io.persistiqsync.cli;

import java.io.PrintWriter;

import io.persistiqsync.runtime.Reasons;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line: one class per command. Errors are one line; usage errors exit 2, failures 1. */
// scope INHERIT: every command takes --help (the usage error message points there)
// showDefaultValues: each option with a fixed default shows it (inherited by every command, as --help is)
@Command(name = "persistiq-sync", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, versionProvider = BuildVersion.class,
        showDefaultValues = true,
        description = "Keeps a PersistIQ account's data in a database you can query.",
        subcommands = {CheckCommand.class, StreamsCommand.class, SyncCommand.class, RunCommand.class, ExportCommand.class,
                StatusCommand.class, SimulateCommand.class, CompletionCommand.class})
public class PersistIqSyncCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (check, streams, sync, run, status, export, simulate, completion)");
    }

    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new PersistIqSyncCommand());
        SettingsHelp.addTo(cl);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println("error: " + e.getMessage() + " (see --help)");
            return 2;
        });
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + oneLine(e));
            return 1;
        });
        return cl;
    }

    /** The message that says what went wrong (see {@link Reasons#oneLine}). */
    static String oneLine(Throwable e) {
        return Reasons.oneLine(e);
    }
}
