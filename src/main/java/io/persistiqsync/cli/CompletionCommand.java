package io.persistiqsync.cli;

import java.util.concurrent.Callable;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Prints the shell completion script picocli generates from the commands themselves (bash, and zsh through bashcompinit). */
@Command(name = "completion", description = {"Print a bash/zsh completion script for persistiq-sync.",
        "bash: source <(java -jar persistiq-sync.jar completion)",
        "zsh: autoload -U +X bashcompinit && bashcompinit && source <(java -jar persistiq-sync.jar completion)"})
public class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(AutoComplete.bash("persistiq-sync", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
