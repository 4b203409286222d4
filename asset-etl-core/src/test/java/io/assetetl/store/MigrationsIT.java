package io.assetetl.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.assetetl.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationsIT {

    @Test
    void createsEveryTableOfTheContract() {
        TestDatabase db = TestDatabase.create();
        List<String> tables = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
                .mapTo(String.class).list());
        assertThat(tables).contains("assets", "asset_sources", "asset_quotes", "raw_csv_assets", "raw_coingecko",
                "etl_runs", "etl_checkpoints", "etl_rejects", "schema_drift_events");
    }

    @Test
    void theConnectionGoesBackWithAutoCommitAsItCame() throws Exception {
        TestDatabase db = TestDatabase.createEmpty();
        java.sql.Connection connection = db.dataSource().getConnection();
        javax.sql.DataSource pool = new org.postgresql.ds.PGSimpleDataSource() {
            @Override
            public java.sql.Connection getConnection() {
                return (java.sql.Connection) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {java.sql.Connection.class}, (proxy, method, args) -> {
                            if (method.getName().equals("close")) {
                                return null; // a pool keeps the connection
                            }
                            try {
                                return method.invoke(connection, args);
                            } catch (java.lang.reflect.InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
            }
        };

        Migrations.migrate(pool);

        assertThat(connection.getAutoCommit()).isTrue();
        connection.close();
    }

    @Test
    void anUpToDateSchemaIsNotBlockedByALockThatAKilledProcessLeftBehind() {
        TestDatabase db = TestDatabase.create();
        db.jdbi().useHandle(h -> h.execute(
                "UPDATE databasechangeloglock SET locked = true, lockgranted = now(), lockedby = 'killed process'"));

        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> Migrations.migrate(db.dataSource()));
    }
}
