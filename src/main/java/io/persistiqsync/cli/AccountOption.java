package io.persistiqsync.cli;

import picocli.CommandLine.Option;

/** --account NAME, shared by the commands that work on one account's API or cache. */
public class AccountOption {
    @Option(names = "--account", paramLabel = "NAME",
            description = "The account (one of persistiq.accounts). Default: sync and status every account, the others the first one.")
    String account;
}
