package io.assetetl.store;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.resource.ClassLoaderResourceAccessor;

/**
 * Applies the asset-etl Liquibase changelog, the one source of truth for the schema (the service's
 * {@code db migrate} runs the same file).
 */
public final class Migrations {

    /** The classpath location of the changelog. */
    public static final String CHANGELOG = "io/assetetl/db/changelog.xml";

    private Migrations() {
    }

    /** Brings the schema of {@code dataSource} up to date; does nothing when it already is. */
    public static void migrate(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            Database database = DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            // Liquibase serialises concurrent migrations itself through its DATABASECHANGELOGLOCK table.
            Liquibase liquibase = new Liquibase(CHANGELOG,
                    new ClassLoaderResourceAccessor(Migrations.class.getClassLoader()), database);
            liquibase.update("");
        } catch (SQLException | LiquibaseException e) {
            throw new IllegalStateException("schema migration failed: " + e.getMessage(), e);
        }
    }
}
