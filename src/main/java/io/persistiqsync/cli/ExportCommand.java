package io.persistiqsync.cli;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;

import io.persistiqsync.runtime.SyncRuntime;
import io.persistiqsync.config.SyncSettings;
import io.persistiqsync.api.StreamCatalog;
import io.persistiqsync.api.StreamDefinition;
import io.persistiqsync.cache.CacheExporter;
import io.persistiqsync.cache.CacheExporter.Format;
import io.persistiqsync.cache.CacheUrls;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Writes one stream's table from the cache (whichever database it is) to a Parquet or CSV file. */
@Command(name = "export", description = "Write a stream's table from the cache to a Parquet or CSV file.")
public class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "STREAM", description = "The stream (its table), e.g. leads.")
    String stream;

    @Option(names = "--format", paramLabel = "parquet|csv", description = "The file format. Default: from the file name (.csv, .parquet), else parquet.")
    String format;

    @Option(names = {"--output", "-o"}, required = true, paramLabel = "FILE", description = "The file to write (replaced if it exists).")
    Path output;

    @Option(names = "--where", paramLabel = "SQL",
            description = "Only rows matching this SQL condition, e.g. \"_deleted_at IS NULL\". It runs as written: the operator's own SQL. Default: every row.")
    String where;

    @picocli.CommandLine.Mixin
    AccountOption account = new AccountOption();

    @Override
    public Integer call() throws Exception {
        StreamDefinition definition = StreamCatalog.select(List.of(stream)).get(0); // unknown: a one-line error naming the known ones
        Format chosen = chooseFormat();
        SyncSettings settings = SyncRuntime.readSettings(account.account);
        CacheExporter exporter = new CacheExporter(settings.cacheTarget());
        long rows;
        try {
            rows = exporter.export(definition, chosen, output, where);
        } catch (SQLException e) {
            spec.commandLine().getErr().println("error: cannot export " + stream + " from " + CacheUrls.withoutCredentials(settings.cacheUrl()) + ": "
                    + PersistIqSyncCommand.oneLine(e));
            return 1;
        }
        spec.commandLine().getOut().println("exported " + rows + " rows of " + stream + " to " + output);
        return 0;
    }

    private Format chooseFormat() {
        try {
            if (format != null) return Format.of(format);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Format fromName = Format.fromFileName(output);
        return fromName != null ? fromName : Format.PARQUET;
    }
}
