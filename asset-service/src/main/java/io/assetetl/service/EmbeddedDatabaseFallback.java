package io.assetetl.service;

import io.assetetl.store.EmbeddedDatabase;
import io.dropwizard.db.DataSourceFactory;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the database URL is {@value #EMBEDDED} (what an unset {@code DATABASE_URL} gives), starts the embedded PostgreSQL in {@code $ASSET_ETL_HOME/postgres} and
 * points the database settings at it, so that a fresh clone runs with no database installed. Its owner (the server's
 * lifecycle, a command) stops it through {@link #stop()} once what uses it has ended. When the JVM is asked to end
 * (SIGTERM, Ctrl-C), the embedded server waits for that, as a run being interrupted still records its end in the
 * database, for at most {@link #EXIT_GRACE} ({@link EmbeddedDatabase#setExitGrace}).
 */
public final class EmbeddedDatabaseFallback {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabaseFallback.class);

    /** The database URL that asks for the embedded PostgreSQL. */
    public static final String EMBEDDED = "embedded";

    /**
     * How long the JVM's end waits for the owner to stop the server: beyond Dropwizard's stop of the scheduler, which
     * gives an interrupted run {@link EtlScheduler#STOP_WAIT_SECONDS} to record its end.
     */
    public static final Duration EXIT_GRACE = Duration.ofSeconds(30);

    private final EmbeddedDatabase database;

    private EmbeddedDatabaseFallback(EmbeddedDatabase database) {
        this.database = database;
        database.setExitGrace(EXIT_GRACE);
    }

    /**
     * Returns the database settings to use: the configured ones when they name a JDBC URL, else settings pointing at an
     * embedded PostgreSQL that this call starts.
     */
    public static synchronized DataSourceFactory resolve(AssetServiceConfiguration configuration) {
        DataSourceFactory factory = configuration.getDataSourceFactory();
        if (!EMBEDDED.equals(factory.getUrl().strip())) {
            return factory;
        }
        LOG.info("DATABASE_URL is not set: using the embedded PostgreSQL in {}",
                configuration.embeddedDatabaseDirectory().toAbsolutePath());
        EmbeddedDatabaseFallback fallback = new EmbeddedDatabaseFallback(
                EmbeddedDatabase.start(configuration.embeddedDatabaseDirectory()));
        factory.setUrl(fallback.database.jdbcUrl());
        factory.setUser(fallback.database.user());
        factory.setPassword("");
        configuration.attachEmbeddedDatabase(fallback);
        return factory;
    }

    /** Stops the embedded server, once; later calls return at once. */
    public void stop() {
        database.close();
    }
}
