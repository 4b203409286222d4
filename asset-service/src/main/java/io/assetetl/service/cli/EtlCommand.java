package io.assetetl.service.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.assetetl.AssetEtl;
import io.assetetl.run.EtlMetrics;
import io.assetetl.run.ExpectedFailures;
import io.assetetl.run.RunRefusedException;
import io.assetetl.run.RunResult;
import io.assetetl.run.SourceDefinition;
import io.assetetl.service.AssetServiceConfiguration;
import io.assetetl.service.EmbeddedDatabaseFallback;
import io.assetetl.service.SchemaMigration;
import io.assetetl.store.DatabaseFailures;
import io.dropwizard.db.DataSourceFactory;
import io.assetetl.service.api.RunOutcome;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.db.ManagedDataSource;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import liquibase.exception.LiquibaseException;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A command that runs one source once and ends: it migrates the schema, runs, prints the run's JSON summary as
 * the last line of stdout and ends with 0 (succeeded), 1 (failed, or refused because the source is running) or
 * 2 (usage error). A refused run, or a command that failed before its run started (database unreachable), prints
 * a summary too, without a run id; a usage error prints none. Everything else the command and its libraries write,
 * logs included, goes to stderr, so that scripts can read stdout as it is.
 */
abstract class EtlCommand extends ConfiguredCommand<AssetServiceConfiguration> {

    private static final Logger LOG = LoggerFactory.getLogger(EtlCommand.class);

    /** Connections a command opens at start: each costs the server a process and the command its start-up time. */
    private static final int COMMAND_CONNECTIONS = 2;

    private final Map<String, String> environment;
    private final FailureLine failure;
    private PrintStream stdout = System.out;
    /** Whether the configuration asks for JSON log lines ({@code LOG_FORMAT=json}); known once it is read. */
    private boolean jsonLog;
    /** Whether the command's log is at {@code DEBUG}, where expected failures keep their stack traces. */
    private boolean traceExpectedFailures;

    EtlCommand(String name, String description, Map<String, String> environment) {
        super(name, description);
        this.environment = environment;
        this.failure = new FailureLine(EtlCommand.class, environment);
    }

    @Override
    public final void configure(Subparser subparser) {
        subparser.addArgument("source").help("the source to run: csv, csv_weird, coingecko or a configured one");
        addOptions(subparser);
        super.configure(subparser);
    }

    void addOptions(Subparser subparser) {
    }

    /**
     * Refuses, with a {@link CommandExit#USAGE} exit, options that do not fit {@code source}: called before any
     * database is started, reached or migrated.
     */
    void checkUsage(SourceDefinition source, Namespace namespace) {
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
        FailureLine.requireConfigurationFile(namespace);
        // everything but the summary goes to stderr, and stays there after the command returns: the log's
        // asynchronous appender may write its last lines after that
        stdout = System.out;
        System.setOut(System.err);
        super.run(bootstrap, namespace);
    }

    @Override
    protected final void run(Bootstrap<AssetServiceConfiguration> bootstrap, Namespace namespace,
            AssetServiceConfiguration configuration) throws Exception {
        long started = System.nanoTime();
        jsonLog = configuration.getLogFormat().equals("json");
        failure.configured(configuration);
        traceExpectedFailures = LOG.isDebugEnabled();
        String source = namespace.getString("source");
        List<SourceDefinition> configured = configuration.sourceDefinitions(environment);
        if (configured.stream().noneMatch(d -> d.name().equals(source))) {
            // a usage error is reported before any database is started or migrated
            throw new CommandExit(CommandExit.USAGE, "unknown source '" + source + "'; configured sources: "
                    + configured.stream().map(SourceDefinition::name).collect(Collectors.joining(", ")));
        }
        SourceDefinition definition = configured.stream().filter(d -> d.name().equals(source)).findFirst()
                .orElseThrow();
        SourceSettingsCheck.check(definition);
        checkUsage(definition, namespace);
        ExpectedFailureTraces traces = ExpectedFailureTraces.install();
        InterruptOnShutdown shutdown = InterruptOnShutdown.install(EmbeddedDatabaseFallback.EXIT_GRACE);
        boolean migrated = false;
        try {
            DataSourceFactory database = EmbeddedDatabaseFallback.resolve(configuration);
            SchemaMigration.migrate(database);
            migrated = true;
            RunResult result = runOnce(bootstrap, namespace, configuration, database, source);
            printSummary(bootstrap, RunOutcome.from(result));
            if (!result.succeeded()) {
                throw new CommandExit(CommandExit.FAILED,
                        "run " + result.runId() + " failed: " + result.errorMessage().orElse("unknown error"));
            }
        } catch (CommandExit e) {
            // a usage error (nothing on stdout), or the failed run whose summary is printed
            throw e;
        } catch (RunRefusedException e) {
            String reason = "a run of source " + source + " is already in progress";
            printSummary(bootstrap, RunOutcome.withoutRun(source, RunOutcome.REFUSED, elapsedMs(started), reason));
            throw new CommandExit(CommandExit.FAILED, reason, e);
        } catch (Exception e) {
            // no run took place: the database could not be reached or migrated, or a bug
            String error = noRunError(e);
            printSummary(bootstrap, RunOutcome.withoutRun(source, RunOutcome.FAILED, elapsedMs(started), error));
            if (ExpectedFailureTraces.isExpected(e) || !migrated && refusedByDatabaseOrChangelog(e)) {
                throw new CommandExit(CommandExit.FAILED, getName() + " failed: " + error, e);
            }
            throw e;
        } finally {
            configuration.embeddedDatabase().ifPresent(EmbeddedDatabaseFallback::stop);
            traces.uninstall();
            shutdown.close();
        }
    }

    /**
     * Why a command failed before any run took place, for its summary: a statement of the library's that failed
     * (taking the source's lock, writing the run's row) in the driver's words, without the statement and arguments
     * Jdbi's message quotes after them, as a run's error says it.
     */
    static String noRunError(Exception e) {
        if (e instanceof JdbiException) {
            return (DatabaseFailures.isUnavailable(e) ? "database unavailable: " : "") + DatabaseFailures.describe(e);
        }
        return e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    }

    private RunResult runOnce(Bootstrap<AssetServiceConfiguration> bootstrap, Namespace namespace,
            AssetServiceConfiguration configuration, DataSourceFactory database, String source) throws Exception {
        // the configured pool is the server's: a command's run uses one connection, at times two, and opens only those
        database.setInitialSize(Math.min(database.getInitialSize(), COMMAND_CONNECTIONS));
        database.setMinSize(Math.min(database.getMinSize(), COMMAND_CONNECTIONS));
        ManagedDataSource dataSource = null;
        RunResult result = null;
        try {
            dataSource = database.build(bootstrap.getMetricRegistry(), "asset-etl");
            try (AssetEtl etl = configuration.buildEtl(dataSource, EtlMetrics.NOOP, environment)) {
                SourceDefinition definition = etl.source(source).orElseThrow();
                result = execute(etl, definition, namespace, new ProgressPrinter(System.err, jsonLog));
                if (!result.succeeded() && !new PendingFailureRecorder(PendingFailureRecorder.PATIENCE,
                        PendingFailureRecorder.Time.SYSTEM).record(etl::recordPendingFailures)) {
                    LOG.warn("the failure of run {} is not recorded, the database did not answer: the source's next"
                            + " run will mark it abandoned", result.runId());
                }
            }
        } catch (RuntimeException e) {
            if (result == null) {
                throw e;
            }
            // the run is over and recorded: a failure to close after it does not change its outcome
            LOG.warn("run {} ended, but closing the library after it failed: {}", result.runId(), e.getMessage());
        } finally {
            if (dataSource != null) {
                try {
                    dataSource.stop();
                } catch (Exception e) {
                    LOG.warn("cannot close the command's connection pool: {}", e.getMessage());
                }
            }
        }
        return result;
    }

    /**
     * Whether a migration failed because the database or the changelog refused it (a missing privilege, a change
     * set that no longer applies), which a user fixes without a code change, rather than because of a bug.
     */
    private static boolean refusedByDatabaseOrChangelog(Throwable e) {
        return ExpectedFailures.anyCause(e, t -> t instanceof SQLException || t instanceof LiquibaseException);
    }

    private static long elapsedMs(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    abstract RunResult execute(AssetEtl etl, SourceDefinition source, Namespace namespace, ProgressPrinter progress);

    private void printSummary(Bootstrap<AssetServiceConfiguration> bootstrap, RunOutcome outcome)
            throws JsonProcessingException {
        stdout.println(bootstrap.getObjectMapper().writeValueAsString(outcome));
        stdout.flush();
    }

    /**
     * Says why the command failed, on stderr, at once: the log's appender is asynchronous and the process ends right
     * after this. With {@code LOG_FORMAT=json} the line is a JSON object like the log's own. An expected failure
     * (a {@link CommandExit}) is that one line, with its cause's stack trace only at {@code DEBUG}; anything else is
     * a bug, and its stack trace follows.
     */
    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        String reason = e instanceof CommandExit ? e.getMessage() : getName() + " failed: "
                + (e instanceof ConfigurationException configuration ? ConfigurationErrors.describe(configuration)
                        : e.getMessage());
        // a configuration that cannot be read says why in its message; its trace is the configuration parser's
        Throwable traced = e instanceof CommandExit ? (traceExpectedFailures ? e.getCause() : null)
                : e instanceof ConfigurationException ? null : e;
        failure.print(cli.getStdErr(), reason, traced);
    }
}
