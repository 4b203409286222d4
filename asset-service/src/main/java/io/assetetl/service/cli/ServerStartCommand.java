package io.assetetl.service.cli;

import io.assetetl.run.ExpectedFailures;
import io.assetetl.service.AssetServiceConfiguration;
import io.dropwizard.core.Application;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ServerCommand;
import io.dropwizard.configuration.ConfigurationException;
import liquibase.exception.LiquibaseException;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * Dropwizard's {@code server} command, whose start fails in one line on stderr when its surroundings are at fault:
 * a configuration it cannot read (an {@code ETL_INTERVAL} that is no duration), a database it cannot reach, that
 * refuses its credentials or its migration, or an embedded database another process uses. The user fixes those without a code change, and a stack trace of some 30 lines hid the reason.
 * Any other failure (a bug) keeps its trace.
 */
public final class ServerStartCommand extends ServerCommand<AssetServiceConfiguration> {

    public ServerStartCommand(Application<AssetServiceConfiguration> application) {
        super(application);
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        if (e instanceof ConfigurationException || ExpectedFailureTraces.isExpected(e)
                || ExpectedFailures.anyCause(e, t -> t instanceof LiquibaseException)) {
            cli.getStdErr().println("server failed to start: " + (e.getMessage() == null ? e : e.getMessage()));
            cli.getStdErr().flush();
        } else {
            super.onError(cli, namespace, e);
        }
    }
}
