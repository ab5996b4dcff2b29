package io.persistiqsync.cli;

import java.util.Map;
import java.util.concurrent.Callable;

import io.persistiqsync.runtime.SyncRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Asks the API for the first page of users with the configured key: prints ok or why not. */
@Command(name = "check", description = "Check the API key and the connection to the API.")
public class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    AccountOption account = new AccountOption();

    @Override
    public Integer call() throws Exception {
        try (SyncRuntime runtime = SyncRuntime.start(Map.of())) {
            if (!runtime.settings(account.account).hasApiKey()) {
                spec.commandLine().getErr().println(SyncCommand.NO_KEY);
                return 1;
            }
            String problem = runtime.check(account.account);
            if (problem != null) {
                spec.commandLine().getErr().println(problem);
                return 1;
            }
            spec.commandLine().getOut().println("ok");
            return 0;
        }
    }
}
