package io.assetetl.service;

import com.codahale.metrics.MetricRegistry;
import io.assetetl.AssetEtl;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;

/**
 * Brings the schema up to date through a data source of its own, of one connection, that is closed afterwards.
 * Liquibase leaves its connection with auto-commit off; returned to the shared pool, such a connection would silently
 * roll back the next borrower's auto-commit writes.
 */
public final class SchemaMigration {

    private SchemaMigration() {
    }

    public static void migrate(DataSourceFactory database) throws Exception {
        ManagedDataSource dataSource = singleConnection(database);
        try {
            // Liquibase's report of what it ran goes to its log, which follows LOG_FORMAT and stays off a
            // command's stdout
            AssetEtl.migrate(dataSource);
        } finally {
            dataSource.stop();
        }
    }

    /** A pool of one connection, with the settings of {@code database}, which keeps its own pool sizes. */
    private static ManagedDataSource singleConnection(DataSourceFactory database) {
        int initialSize = database.getInitialSize();
        int minSize = database.getMinSize();
        int maxSize = database.getMaxSize();
        database.asSingleConnectionPool();
        // opened on first use, not when the pool starts: a pool that cannot open its initial connections logs its
        // own error with a stack trace, before the caller reports the failure in one line
        database.setInitialSize(0);
        try {
            return database.build(new MetricRegistry(), "asset-etl-migrations");
        } finally {
            database.setInitialSize(initialSize);
            database.setMinSize(minSize);
            database.setMaxSize(maxSize);
        }
    }
}
