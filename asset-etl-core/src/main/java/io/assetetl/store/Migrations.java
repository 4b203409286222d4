package io.assetetl.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.ui.ConsoleUIService;
import liquibase.ui.LoggerUIService;

/**
 * Applies the asset-etl Liquibase changelog, the one source of truth for the schema (the service's
 * {@code db migrate} runs the same file).
 *
 * <p>Liquibase OSS sends usage data to Liquibase by default (since 4.30), after fetching its settings for that over
 * HTTPS. Migrating a user's database does not: analytics stay off unless {@code liquibase.analytics.enabled} is set
 * as a system property or {@code LIQUIBASE_ANALYTICS_ENABLED} in the environment, which then decide.
 */
public final class Migrations {

    /**
     * Liquibase's analytics setting ({@code AnalyticsArgs.ENABLED}), named here rather than read from that class:
     * reading it sets Liquibase up, and before an application has configured its logging, Liquibase's first log
     * lines would go to stdout through the logging defaults.
     */
    static final String ANALYTICS_SETTING = "liquibase.analytics.enabled";

    /** The classpath location of the changelog. */
    public static final String CHANGELOG = "io/assetetl/db/changelog.yaml";

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

    /**
     * Turns Liquibase's analytics off for this JVM unless they were set explicitly: for applications that run
     * Liquibase themselves too (the service's {@code db} commands).
     */
    public static void turnOffLiquibaseAnalyticsUnlessSet() {
        if (!analyticsSetExplicitly()) {
            System.setProperty(ANALYTICS_SETTING, "false");
        }
    }

    /** What {@link #migrate} runs Liquibase with: analytics off unless they were set explicitly. */
    static Map<String, Object> liquibaseScope() {
        return analyticsSetExplicitly() ? Map.of() : Map.of(ANALYTICS_SETTING, false);
    }

    private static boolean analyticsSetExplicitly() {
        return System.getProperty(ANALYTICS_SETTING) != null
                || System.getenv("LIQUIBASE_ANALYTICS_ENABLED") != null;
    }

    /**
     * Where Liquibase reports the change sets it runs: its UI service, the console by default. A library must not
     * print on its host program's stdout, so unless the caller chose a UI service, the report goes to Liquibase's
     * log, which goes through SLF4J like the library's own ({@link Slf4jLogService}), where the host's logging set-up
     * decides about it.
     */
    static Map<String, Object> reportScope() {
        if (!(Scope.getCurrentScope().getUI() instanceof ConsoleUIService)) {
            return Map.of();
        }
        return reportToLog();
    }

    /**
     * The Liquibase scope under which Liquibase reports what it runs (each change set, the update's summary) to its
     * log instead of the console: for a program whose log must be all it writes, such as one that logs JSON lines
     * and runs Liquibase itself.
     */
    public static Map<String, Object> reportToLog() {
        return Map.of(Scope.Attr.ui.name(), new LoggerUIService(), "liquibase.command.showSummaryOutput", "LOG");
    }

    private static void update(Connection connection) {
        try {
            Scope.child(Map.of(Scope.Attr.logService.name(), new Slf4jLogService()), () -> Scope.child(
                    liquibaseScope(), () -> Scope.child(reportScope(), () -> updateInScope(connection))));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("schema migration failed: " + e.getMessage(), e);
        }
    }

    private static void updateInScope(Connection connection) {
        try {
            Database database = DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            Liquibase liquibase = new Liquibase(CHANGELOG,
                    new ClassLoaderResourceAccessor(Migrations.class.getClassLoader()), database);
            // Reading what is pending takes no lock, so an up-to-date schema costs no lock at all; real changes are
            // serialised by Liquibase's change log lock, a session-level advisory lock here (SessionLockService),
            // which a killed process does not leave behind.
            if (!liquibase.listUnrunChangeSets(new Contexts(), new LabelExpression()).isEmpty()) {
                liquibase.update(new Contexts(), new LabelExpression());
            }
        } catch (LiquibaseException e) {
            throw new IllegalStateException("schema migration failed: " + e.getMessage(), e);
        }
    }
}
