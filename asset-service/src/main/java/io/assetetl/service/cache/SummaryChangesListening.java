package io.assetetl.service.cache;

import static java.util.Objects.requireNonNull;

import io.assetetl.query.SummaryChanges;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.lifecycle.Managed;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens for changes to the asset summaries while the service runs, on a connection of its own to the service's
 * database: not one of the pool's, which would go back to the pool still listening.
 */
public final class SummaryChangesListening implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(SummaryChangesListening.class);

    /** The name the listening connection shows in {@code pg_stat_activity}. */
    public static final String APPLICATION_NAME = "asset-service summary changes";
    private static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    private final PGSimpleDataSource dataSource = new PGSimpleDataSource();
    private final SummaryChanges.Listener listener;
    private SummaryChanges changes;

    /** @param database the service's database settings (URL, credentials, driver properties) */
    public SummaryChangesListening(DataSourceFactory database, SummaryChanges.Listener listener) {
        this.listener = requireNonNull(listener, "listener is null");
        dataSource.setURL(database.getUrl());
        dataSource.setUser(database.getUser());
        dataSource.setPassword(database.getPassword());
        for (Map.Entry<String, String> property : database.getProperties().entrySet()) {
            try {
                dataSource.setProperty(property.getKey(), property.getValue());
            } catch (SQLException unknown) {
                // the driver ignores properties it does not know when the pool connects, and so does this
                LOG.debug("listening connection: {}", unknown.getMessage());
            }
        }
        dataSource.setApplicationName(APPLICATION_NAME);
    }

    @Override
    public void start() {
        changes = SummaryChanges.start(dataSource, listener, RETRY_AFTER);
    }

    @Override
    public void stop() {
        if (changes != null) {
            changes.close();
        }
    }
}
