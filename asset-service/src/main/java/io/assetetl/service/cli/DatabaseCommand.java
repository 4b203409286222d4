package io.assetetl.service.cli;

import io.assetetl.run.ExpectedFailures;
import io.assetetl.service.AssetServiceConfiguration;
import io.assetetl.service.EmbeddedDatabaseFallback;
import io.assetetl.store.Migrations;
import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.migrations.DbCommand;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import liquibase.exception.LiquibaseException;
import net.sourceforge.argparse4j.inf.Namespace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dropwizard's {@code db} command (dropwizard-migrations: {@code db migrate}, {@code db status}, {@code db locks},
 * ...) on the library's changelog. It stops the embedded database it started once it is done: left to the JVM's
 * end, the embedded server kept {@code db migrate} waiting {@link EmbeddedDatabaseFallback#EXIT_GRACE} after its
 * work. With {@code LOG_FORMAT=json}, Liquibase's report of the change sets it runs goes to the log.
 *
 * <p>Like the other commands, it fails in one line on stderr when its surroundings are at fault: a configuration
 * file that is missing (a usage error, exit 2) or cannot be read, a database it cannot reach or that refuses it.
 * Dropwizard's command printed the stack traces of the connection pool and of the driver, some 100 lines.
 */
public final class DatabaseCommand extends DbCommand<AssetServiceConfiguration> {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseCommand.class);

    private final FailureLine failure;
    /** Whether the command's log is at {@code DEBUG}, where expected failures keep their stack traces. */
    private boolean traceExpectedFailures;

    public DatabaseCommand(Map<String, String> environment) {
        this(environment, new HashMap<>());
    }

    /** {@code scope}: Liquibase's scope for the command, handed to it now and filled once the configuration is read. */
    private DatabaseCommand(Map<String, String> environment, Map<String, Object> scope) {
        super("db", configuration -> {
            if (configuration.getLogFormat().equals("json")) {
                scope.putAll(Migrations.reportToLog());
            }
            return EmbeddedDatabaseFallback.resolve(configuration);
        }, AssetServiceConfiguration.class, Migrations.CHANGELOG, scope);
        this.failure = new FailureLine(DatabaseCommand.class, environment);
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
        FailureLine.requireConfigurationFile(namespace);
        super.run(bootstrap, namespace);
    }

    @Override
    protected void run(Bootstrap<AssetServiceConfiguration> bootstrap, Namespace namespace,
            AssetServiceConfiguration configuration) throws Exception {
        failure.configured(configuration);
        traceExpectedFailures = LOG.isDebugEnabled();
        ExpectedFailureTraces traces = ExpectedFailureTraces.install();
        try {
            super.run(bootstrap, namespace, configuration);
        } finally {
            configuration.embeddedDatabase().ifPresent(EmbeddedDatabaseFallback::stop);
            traces.uninstall();
        }
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        if (e instanceof CommandExit) {
            failure.print(cli.getStdErr(), e.getMessage(), null);
        } else if (e instanceof ConfigurationException || ExpectedFailureTraces.isExpected(e)
                || ExpectedFailures.anyCause(e, t -> t instanceof SQLException || t instanceof LiquibaseException)) {
            failure.print(cli.getStdErr(), "db failed: " + reason(e), traceExpectedFailures ? e : null);
        } else {
            super.onError(cli, namespace, e);
        }
    }

    /** The innermost message that says something: Liquibase and the pool wrap the driver's reason in their own. */
    private static String reason(Throwable e) {
        if (e instanceof ConfigurationException configuration) {
            return ConfigurationErrors.describe(configuration);
        }
        String reason = e.getMessage() == null ? e.toString() : e.getMessage();
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLException && t.getMessage() != null) {
                reason = t.getMessage();
            }
        }
        return reason;
    }
}
