package io.assetetl.service;

import com.codahale.metrics.MetricRegistry;
import io.assetetl.AssetEtl;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;

/**
 * Brings the schema up to date through a data source of its own that is closed afterwards. Liquibase leaves its
 * connection with auto-commit off; returned to the shared pool, such a connection would silently roll back the
 * next borrower's auto-commit writes.
 */
public final class SchemaMigration {

    private SchemaMigration() {
    }

    public static void migrate(DataSourceFactory database) throws Exception {
        ManagedDataSource dataSource = database.build(new MetricRegistry(), "asset-etl-migrations");
        try {
            AssetEtl.migrate(dataSource);
        } finally {
            dataSource.stop();
        }
    }
}
