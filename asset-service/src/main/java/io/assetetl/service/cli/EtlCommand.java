package io.assetetl.service.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetetl.AssetEtl;
import io.assetetl.run.EtlMetrics;
import io.assetetl.run.RunRefusedException;
import io.assetetl.run.RunResult;
import io.assetetl.run.SourceDefinition;
import io.assetetl.service.AssetServiceConfiguration;
import io.assetetl.service.EmbeddedDatabaseFallback;
import io.assetetl.service.HeaderLoggingGuard;
import io.assetetl.service.SchemaMigration;
import io.dropwizard.db.DataSourceFactory;
import io.assetetl.service.api.RunOutcome;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.db.ManagedDataSource;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * A command that runs one source once and ends: it migrates the schema, runs, prints the run's JSON summary as
 * the last line of stdout and ends with 0 (succeeded), 1 (failed, or refused because the source is running) or
 * 2 (usage error). Everything else the command and its libraries write, logs included, goes to stderr, so that
 * scripts can read stdout as it is.
 */
abstract class EtlCommand extends ConfiguredCommand<AssetServiceConfiguration> {

    /** Connections a command opens at start: each costs the server a process and the command its start-up time. */
    private static final int COMMAND_CONNECTIONS = 2;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> environment;
    private PrintStream stdout = System.out;
    /** Whether the configuration asks for JSON log lines ({@code LOG_FORMAT=json}); known once it is read. */
    private boolean jsonLog;

    EtlCommand(String name, String description, Map<String, String> environment) {
        super(name, description);
        this.environment = environment;
    }

    @Override
    public final void configure(Subparser subparser) {
        subparser.addArgument("source").help("the source to run: csv, csv_weird, coingecko or a configured one");
        addOptions(subparser);
        super.configure(subparser);
    }

    void addOptions(Subparser subparser) {
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
        String file = namespace.getString("file");
        if (file != null && !Files.exists(Path.of(file))) {
            throw new CommandExit(CommandExit.USAGE, "configuration file not found: " + file);
        }
        // everything but the summary goes to stderr, and stays there after the command returns: the log's
        // asynchronous appender may write its last lines after that
        stdout = System.out;
        System.setOut(System.err);
        super.run(bootstrap, namespace);
    }

    @Override
    protected final void run(Bootstrap<AssetServiceConfiguration> bootstrap, Namespace namespace,
            AssetServiceConfiguration configuration) throws Exception {
        jsonLog = configuration.getLogFormat().equals("json");
        HeaderLoggingGuard.install();
        String source = namespace.getString("source");
        List<SourceDefinition> configured = configuration.sourceDefinitions(environment);
        if (configured.stream().noneMatch(d -> d.name().equals(source))) {
            // a usage error is reported before any database is started or migrated
            throw new CommandExit(CommandExit.USAGE, "unknown source '" + source + "'; configured sources: "
                    + configured.stream().map(SourceDefinition::name).collect(Collectors.joining(", ")));
        }
        DataSourceFactory database = EmbeddedDatabaseFallback.resolve(configuration);
        // the configured pool is the server's: a command's run uses one connection, at times two, and opens only those
        database.setInitialSize(Math.min(database.getInitialSize(), COMMAND_CONNECTIONS));
        database.setMinSize(Math.min(database.getMinSize(), COMMAND_CONNECTIONS));
        ManagedDataSource dataSource = null;
        try {
            SchemaMigration.migrate(database);
            dataSource = database.build(bootstrap.getMetricRegistry(), "asset-etl");
            try (AssetEtl etl = configuration.buildEtl(dataSource, EtlMetrics.NOOP, environment)) {
                SourceDefinition definition = etl.source(source).orElseThrow();
                RunResult result;
                try {
                    result = execute(etl, definition, namespace,
                            new ProgressPrinter(System.err, configuration.getLogFormat().equals("json")));
                } catch (RunRefusedException e) {
                    throw new CommandExit(CommandExit.FAILED, "a run of source " + source + " is already in progress");
                }
                printSummary(bootstrap, result);
                if (!result.succeeded()) {
                    throw new CommandExit(CommandExit.FAILED,
                            "run " + result.runId() + " failed: " + result.errorMessage().orElse("unknown error"));
                }
            }
        } finally {
            if (dataSource != null) {
                dataSource.stop();
            }
            configuration.embeddedDatabase().ifPresent(EmbeddedDatabaseFallback::stop);
        }
    }

    abstract RunResult execute(AssetEtl etl, SourceDefinition source, Namespace namespace, ProgressPrinter progress);

    private void printSummary(Bootstrap<AssetServiceConfiguration> bootstrap, RunResult result)
            throws JsonProcessingException {
        stdout.println(bootstrap.getObjectMapper().writeValueAsString(RunOutcome.from(result)));
        stdout.flush();
    }

    /**
     * Says why the command failed, on stderr, at once: the log's appender is asynchronous and the process ends right
     * after this. With {@code LOG_FORMAT=json} the line is a JSON object like the log's own.
     */
    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        String reason = e instanceof CommandExit ? e.getMessage() : getName() + " failed: " + e.getMessage();
        String trace = null;
        if (!(e instanceof CommandExit)) {
            StringWriter text = new StringWriter();
            e.printStackTrace(new PrintWriter(text));
            trace = text.toString();
        }
        if (jsonLog) {
            ObjectNode line = JSON.createObjectNode().put("timestamp", System.currentTimeMillis()).put("level", "ERROR")
                    .put("thread", Thread.currentThread().getName()).put("logger", EtlCommand.class.getName())
                    .put("message", reason);
            if (trace != null) {
                line.put("exception", trace);
            }
            cli.getStdErr().println(line);
        } else {
            cli.getStdErr().println(reason);
            if (trace != null) {
                cli.getStdErr().print(trace);
            }
        }
        cli.getStdErr().flush();
    }
}
