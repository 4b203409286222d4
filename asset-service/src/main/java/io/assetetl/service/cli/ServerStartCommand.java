package io.assetetl.service.cli;

import io.assetetl.run.ExpectedFailures;
import io.assetetl.service.AssetServiceConfiguration;
import io.assetetl.service.EmbeddedDatabaseFallback;
import io.dropwizard.core.Application;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ServerCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.configuration.ConfigurationException;
import java.net.BindException;
import java.util.Map;
import liquibase.exception.LiquibaseException;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * Dropwizard's {@code server} command, whose start fails in one line on stderr when its surroundings are at fault:
 * a configuration file that is missing (a usage error, exit 2) or cannot be read (an {@code ETL_INTERVAL} that is
 * no duration), a database it cannot reach, that refuses its credentials or its migration, an embedded database
 * another process uses, or a port another process listens on. The user fixes those without a code change, and a
 * stack trace of some 30 lines hid the reason. Any other failure (a bug) keeps its trace.
 *
 * <p>A start that fails stops the embedded database it started at once: the server's lifecycle, which stops it
 * otherwise, never started, and the JVM's end waited {@link EmbeddedDatabaseFallback#EXIT_GRACE} for it.
 */
public final class ServerStartCommand extends ServerCommand<AssetServiceConfiguration> {

    private final FailureLine failure;

    public ServerStartCommand(Application<AssetServiceConfiguration> application, Map<String, String> environment) {
        super(application);
        this.failure = new FailureLine(ServerStartCommand.class, environment);
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
        // until the server has started: the log lines of a start that fails for an expected reason lose their traces
        ExpectedFailureTraces traces = ExpectedFailureTraces.install();
        try {
            super.run(bootstrap, namespace, configuration);
        } catch (Exception | Error e) {
            configuration.embeddedDatabase().ifPresent(EmbeddedDatabaseFallback::stop);
            throw e;
        } finally {
            traces.uninstall();
        }
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        if (e instanceof CommandExit) {
            failure.print(cli.getStdErr(), "server failed to start: " + e.getMessage(), null);
        } else if (e instanceof ConfigurationException || ExpectedFailureTraces.isExpected(e)
                || ExpectedFailures.anyCause(e, t -> t instanceof LiquibaseException)) {
            failure.print(cli.getStdErr(), "server failed to start: " + reason(e), null);
        } else {
            super.onError(cli, namespace, e);
        }
    }

    /** The failure's message; for a port in use, the address and the system's reason ("Address already in use"). */
    private static String reason(Throwable e) {
        if (e instanceof ConfigurationException configuration) {
            return ConfigurationErrors.describe(configuration);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getCause() instanceof BindException bind && t.getMessage() != null) {
                return t.getMessage() + " (" + bind.getMessage() + ")";
            }
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
