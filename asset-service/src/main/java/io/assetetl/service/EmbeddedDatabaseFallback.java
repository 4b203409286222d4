package io.assetetl.service;

import io.assetetl.store.EmbeddedDatabase;
import io.dropwizard.db.DataSourceFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the database URL is {@value #EMBEDDED} (what an unset {@code DATABASE_URL} gives), starts the embedded PostgreSQL in {@code $ASSET_ETL_HOME/postgres} and
 * points the database settings at it, so that a fresh clone runs with no database installed. The embedded server
 * stops when the JVM does, or earlier through {@link #stop()}.
 */
public final class EmbeddedDatabaseFallback {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabaseFallback.class);

    /** The database URL that asks for the embedded PostgreSQL. */
    public static final String EMBEDDED = "embedded";

    private final EmbeddedDatabase database;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private EmbeddedDatabaseFallback(EmbeddedDatabase database) {
        this.database = database;
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "embedded-postgres-stop"));
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

    public void stop() {
        if (stopped.compareAndSet(false, true)) {
            database.close();
        }
    }
}
