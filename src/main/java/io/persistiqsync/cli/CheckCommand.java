package io.persistiqsync.cli;

import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

import io.persistiqsync.runtime.SyncRuntime;
import io.persistiqsync.api.StreamCatalog;
import io.persistiqsync.routes.RouteNames;
import io.persistiqsync.sync.StreamRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Asks the API for the first page of users with the configured key: prints ok or why not. */
@Command(name = "check", description = "Check the API key and the connection to the API.")
public class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (SyncRuntime runtime = SyncRuntime.start(Map.of())) {
            if (!runtime.settings().hasApiKey()) {
                spec.commandLine().getErr().println(SyncCommand.NO_KEY);
                return 1;
            }
            try (ProducerTemplate template = runtime.template()) {
                Exchange answer = template.send(RouteNames.FETCH_PAGE,
                        e -> e.setProperty(RouteNames.STREAM_RUN, StreamRun.probe(StreamCatalog.find("users").orElseThrow())));
                if (answer.getException() != null) {
                    spec.commandLine().getErr().println(Reasons.of(answer.getException(), runtime.settings().baseUrl()));
                    return 1;
                }
            }
            spec.commandLine().getOut().println("ok");
            return 0;
        }
    }
}
