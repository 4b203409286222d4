package io.assetetl.store;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import liquibase.Contexts;
import liquibase.LabelExpression;
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
            // Liquibase turns auto-commit off; a pooled connection must go back the way it came
            boolean autoCommit = connection.getAutoCommit();
            try {
                update(connection);
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("schema migration failed: " + e.getMessage(), e);
        }
    }

    private static void update(Connection connection) throws SQLException {
        try {
            Database database = DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            Liquibase liquibase = new Liquibase(CHANGELOG,
                    new ClassLoaderResourceAccessor(Migrations.class.getClassLoader()), database);
            // Reading what is pending takes no lock, so an up-to-date schema is never blocked by a lock row that a
            // killed process left behind; real changes are serialised by Liquibase's DATABASECHANGELOGLOCK.
            if (!liquibase.listUnrunChangeSets(new Contexts(), new LabelExpression()).isEmpty()) {
                liquibase.update(new Contexts(), new LabelExpression());
            }
        } catch (LiquibaseException e) {
            throw new IllegalStateException("schema migration failed: " + e.getMessage(), e);
        }
    }
}
