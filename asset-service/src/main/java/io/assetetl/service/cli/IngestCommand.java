package io.assetetl.service.cli;

import io.assetetl.AssetEtl;
import io.assetetl.run.RunRequest;
import io.assetetl.run.RunResult;
import io.assetetl.run.SourceDefinition;
import io.assetetl.sources.csv.CsvSourceConfig;
import io.assetetl.sources.csv.WeirdCsvSourceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/** {@code ingest SOURCE [--file PATH] [--batch-size N] [config.yml]}: one ETL run of a source. */
public final class IngestCommand extends EtlCommand {

    /** The built-in file sources and the file each reads when no path is configured. */
    private static final Map<String, String> FILE_TYPES = Map.of("csv", CsvSourceConfig.DEFAULT_PATH,
            "csv_weird", WeirdCsvSourceConfig.DEFAULT_PATH);

    public IngestCommand(Map<String, String> environment) {
        super("ingest", "Runs one source once, prints its JSON summary last on stdout, and exits 0 when it "
                + "succeeded, 1 when it failed or the source was already running, 2 on a usage error", environment);
    }

    @Override
    void addOptions(Subparser subparser) {
        subparser.addArgument("--file").dest("input").metavar("PATH")
                .help("read this file instead of the source's configured path (file sources only)");
        subparser.addArgument("--batch-size").dest("batch_size").metavar("N").type(Integer.class)
                .choices(Arguments.range(1, CsvSourceConfig.MAX_BATCH_SIZE))
                .help("records per committed chunk instead of the source's configured batch_size (file sources only)");
    }

    @Override
    void checkUsage(SourceDefinition source, Namespace namespace) {
        Optional<String> file = Optional.ofNullable(namespace.getString("input"));
        boolean readsFiles = FILE_TYPES.containsKey(source.type()) || source.config().get("path").isPresent();
        if (file.isPresent() && !readsFiles) {
            throw new CommandExit(CommandExit.USAGE, "source " + source.name() + " does not read files; drop --file");
        }
        if (namespace.getInt("batch_size") != null && !readsFiles) {
            throw new CommandExit(CommandExit.USAGE, "source " + source.name()
                    + " does not read files; drop --batch-size");
        }
        // the file the run would read: --file, else the configured path, else the built-in source's default
        Optional<String> path = file.or(() -> source.config().get("path"))
                .or(() -> Optional.ofNullable(FILE_TYPES.get(source.type())));
        if (readsFiles && path.isPresent() && !Files.isRegularFile(Path.of(path.get()))) {
            Path given = Path.of(path.get());
            throw new CommandExit(CommandExit.USAGE, (Files.exists(given) ? "not a regular file: "
                    : "file not found: ") + path.get() + (given.isAbsolute() ? ""
                    : " (" + given.toAbsolutePath().normalize() + ": a relative path is read from the working"
                    + " directory)"));
        }
    }

    @Override
    RunResult execute(AssetEtl etl, SourceDefinition source, Namespace namespace, ProgressPrinter progress) {
        Optional<String> file = Optional.ofNullable(namespace.getString("input"));
        Optional<Integer> batchSize = Optional.ofNullable(namespace.getInt("batch_size"));
        RunRequest request = RunRequest.of(source.name());
        if (file.isPresent()) {
            request = request.withSetting("path", file.get());
        }
        if (batchSize.isPresent()) {
            request = request.withSetting("batch_size", batchSize.get().toString());
        }
        return etl.run(request, progress);
    }
}
