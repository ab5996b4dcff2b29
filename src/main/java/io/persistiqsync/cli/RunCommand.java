package io.persistiqsync.cli;

import java.util.concurrent.Callable;

import io.persistiqsync.runtime.SyncRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The long-lived runtime: syncs on the Quartz schedule (sync.cron), JMX on, stops on SIGTERM. */
@Command(name = "run", description = "Run as a service: sync on the schedule (sync.cron) until stopped.")
public class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--demo", description = "Sync from the built-in simulator on loopback (made-up data; persistiq.base-url and persistiq.api-key are not used).")
    boolean demo;

    @Override
    public Integer call() throws Exception {
        try (SyncCommand.Demo demoApi = SyncCommand.Demo.startIf(demo, spec.commandLine().getOut())) {
            SyncRuntime.runScheduled(demoApi.overrides());
        }
        return 0;
    }
}
