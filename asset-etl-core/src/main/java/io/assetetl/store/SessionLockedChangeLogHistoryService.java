package io.assetetl.store;

import java.sql.SQLException;
import liquibase.changelog.StandardChangeLogHistoryService;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.DatabaseException;

/**
 * Liquibase's record of the change sets run ({@code DATABASECHANGELOG}) on PostgreSQL, as Liquibase keeps it, except
 * that the table is created holding the change log lock ({@link SessionLockService#creatingTables}). Liquibase
 * creates it when it first looks at a database, before it takes the lock: two servers started together on an empty
 * database both created it, and one failed to start ("relation databasechangelog already exists"). Found by
 * Liquibase's service loader, as the lock service is, for the library and the service's {@code db} commands alike.
 */
public class SessionLockedChangeLogHistoryService extends StandardChangeLogHistoryService {

    @Override
    public int getPriority() {
        return PRIORITY_DATABASE;
    }

    @Override
    public boolean supports(Database database) {
        return database instanceof PostgresDatabase;
    }

    @Override
    public void init() throws DatabaseException {
        if (tableExists()) {
            super.init();
            return;
        }
        SessionLockService.creatingTables(getDatabase(), () -> {
            reset(); // forgets that the table was missing: another migration may have created it meanwhile
            super.init();
        });
    }

    /** Whether the table exists, asked of the catalog, as {@link SessionLockService} asks about its own. */
    private boolean tableExists() throws DatabaseException {
        Database database = getDatabase();
        if (!(database.getConnection() instanceof JdbcConnection jdbc)) {
            return hasDatabaseChangeLogTable();
        }
        try {
            return SessionLockService.tableExists(jdbc.getUnderlyingConnection(), database,
                    database.getDatabaseChangeLogTableName());
        } catch (SQLException e) {
            throw new DatabaseException("cannot tell whether Liquibase's change log table exists: " + e.getMessage(),
                    e);
        }
    }
}
