package io.assetetl.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import liquibase.GlobalConfiguration;
import liquibase.Scope;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.DatabaseException;
import liquibase.exception.LockException;
import liquibase.exception.UnexpectedLiquibaseException;
import liquibase.lockservice.DatabaseChangeLogLock;
import liquibase.lockservice.StandardLockService;

/**
 * Liquibase's change log lock on PostgreSQL, held as a session-level advisory lock rather than as the
 * {@code locked} flag of {@code DATABASECHANGELOGLOCK}. The flag stays set when the process that set it dies (a
 * {@code kill -9}, an out-of-memory kill, a container restart during a first start or an upgrade), and every later
 * migration then waits for it and fails, until someone runs {@code db locks -r} by hand. An advisory lock belongs
 * to the database session: PostgreSQL releases it when the session ends, however the process ended.
 *
 * <p>Found by Liquibase's service loader for every use of Liquibase in the process, so {@link Migrations} (the
 * library, {@code ingest}, {@code server}) and the service's {@code db} commands take the same lock. The table is
 * still created, for tools that expect it, but its flag is neither set nor read: a process of an earlier version,
 * or a plain {@code liquibase update}, which take the flag, do not exclude a process that takes this lock, so stop
 * them before an upgrade that brings new change sets. {@code db locks -l} lists the sessions holding the lock, and
 * {@code db locks -r} ends them (their current change set is rolled back, as PostgreSQL runs DDL in
 * transactions).
 */
public class SessionLockService extends StandardLockService {

    /** The advisory lock's name; its key is {@code hashtextextended(name, 0)}, as for the run locks. */
    static final String LOCK_NAME = "asset-etl:liquibase-changelog";

    private static final String TRY_LOCK = "SELECT pg_try_advisory_lock(hashtextextended(?, 0))";
    private static final String UNLOCK = "SELECT pg_advisory_unlock(hashtextextended(?, 0))";
    private static final String TABLE_EXISTS = "SELECT to_regclass(?) IS NOT NULL";

    /** How often a waiting migration tries the lock again. */
    private static final long RETRY_MILLIS = 100;

    private boolean held;

    @Override
    public int getPriority() {
        return PRIORITY_DATABASE;
    }

    @Override
    public boolean supports(Database database) {
        return database instanceof PostgresDatabase;
    }

    /**
     * Whether the lock table exists, asked of the catalog. Liquibase asks by selecting from the table and taking
     * the error for a no, which PostgreSQL logs as an {@code ERROR} with the statement at every first migration: the
     * embedded server's log showed it among the service's lines, as if something had gone wrong.
     */
    @Override
    protected boolean isDatabaseChangeLogLockTableCreated(boolean forceRecheck) {
        if (forceRecheck || hasDatabaseChangeLogLockTable == null) {
            try {
                hasDatabaseChangeLogLockTable = tableExists(connection(), database,
                        database.getDatabaseChangeLogLockTableName());
            } catch (SQLException | LockException e) {
                throw new UnexpectedLiquibaseException(e);
            }
        }
        return hasDatabaseChangeLogLockTable;
    }

    /** Whether Liquibase's table {@code name} exists in {@code database}, asked of the catalog. */
    static boolean tableExists(Connection connection, Database database, String name) throws SQLException {
        String table = database.escapeTableName(database.getLiquibaseCatalogName(), database.getLiquibaseSchemaName(),
                name);
        try (PreparedStatement statement = connection.prepareStatement(TABLE_EXISTS)) {
            statement.setString(1, table);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    @Override
    public boolean hasChangeLogLock() {
        return held;
    }

    /**
     * Creates the lock table when it does not exist yet, holding the lock ({@link #creatingTables}); Liquibase
     * creates it when it first looks at a database, before it takes the lock.
     */
    @Override
    public void init() throws DatabaseException {
        if (held || isDatabaseChangeLogLockTableCreated(true)) {
            super.init();
            return;
        }
        creatingTables(database, () -> {
            isDatabaseChangeLogLockTableCreated(true); // another migration may have created it meanwhile
            super.init();
        });
    }

    @Override
    public boolean acquireLock() throws LockException {
        if (held) {
            return true;
        }
        try {
            held = tryLock(connection());
            database.commit();
            if (held) {
                try {
                    init();
                } catch (DatabaseException | RuntimeException e) {
                    releaseLock();
                    throw e;
                }
            }
            return held;
        } catch (SQLException | DatabaseException e) {
            throw new LockException("cannot take the change log lock: " + e.getMessage(), e);
        }
    }

    /** What {@link #creatingTables} runs: the creation of one of Liquibase's tables. */
    @FunctionalInterface
    interface TableCreation {
        void create() throws DatabaseException;
    }

    /**
     * Runs {@code creation} holding the change log lock, waiting for it as {@link #waitForLock} does: Liquibase
     * creates its tables when it first looks at a database, before it takes the lock, so two first migrations at
     * once (two servers started together on an empty database) both created them, and one failed ("relation
     * databasechangelog already exists").
     */
    static void creatingTables(Database database, TableCreation creation) throws DatabaseException {
        Connection connection;
        if (database.getConnection() instanceof JdbcConnection jdbc) {
            connection = jdbc.getUnderlyingConnection();
        } else {
            creation.create();
            return;
        }
        long minutes = GlobalConfiguration.CHANGELOGLOCK_WAIT_TIME.getCurrentValue();
        boolean acquired;
        try {
            acquired = await(() -> tryLock(connection), minutes, () -> Scope.getCurrentScope()
                    .getLog(SessionLockService.class).info("waiting for the change log lock to create Liquibase's"
                            + " tables: another migration holds it"));
        } catch (SQLException e) {
            throw new DatabaseException("cannot take the change log lock: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatabaseException("interrupted while waiting for the change log lock");
        }
        if (!acquired) {
            throw new DatabaseException("could not take the change log lock to create Liquibase's tables within "
                    + minutes + " minute(s)");
        }
        try {
            creation.create();
        } finally {
            try {
                unlock(connection);
            } catch (SQLException e) {
                throw new DatabaseException("cannot release the change log lock: " + e.getMessage(), e);
            }
        }
    }

    private static void unlock(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(UNLOCK)) {
            statement.setString(1, LOCK_NAME);
            statement.execute();
        }
    }

    private static boolean tryLock(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(TRY_LOCK)) {
            statement.setString(1, LOCK_NAME);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    @Override
    public void waitForLock() throws LockException {
        boolean acquired;
        try {
            acquired = await(this::acquireLock, getChangeLogLockWaitTime(), () -> Scope.getCurrentScope()
                    .getLog(getClass()).info("waiting for the change log lock, held by " + holders()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LockException("interrupted while waiting for the change log lock");
        }
        if (!acquired) {
            throw new LockException("could not take the change log lock within " + getChangeLogLockWaitTime()
                    + " minute(s): held by " + holders());
        }
    }

    /** One try at taking the lock: whether it did. */
    @FunctionalInterface
    private interface LockAttempt<E extends Exception> {
        boolean took() throws E;
    }

    /** What to do when a first try at the lock did not take it. */
    @FunctionalInterface
    private interface WaitReport<E extends Exception> {
        void report() throws E;
    }

    /**
     * Tries {@code attempt} every {@link #RETRY_MILLIS} until it takes the lock, running {@code firstWait} once after
     * the first try that does not; returns whether it took the lock before {@code minutes} passed.
     */
    private static <E extends Exception> boolean await(LockAttempt<E> attempt, long minutes,
            WaitReport<E> firstWait) throws E, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
        boolean reported = false;
        while (!attempt.took()) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            if (!reported) {
                firstWait.report();
                reported = true;
            }
            Thread.sleep(RETRY_MILLIS);
        }
        return true;
    }

    @Override
    public void releaseLock() throws LockException {
        if (!held) {
            return;
        }
        try {
            unlock(connection());
            database.commit();
        } catch (SQLException | DatabaseException e) {
            throw new LockException("cannot release the change log lock: " + e.getMessage(), e);
        } finally {
            held = false;
            database.setCanCacheLiquibaseTableInfo(false);
        }
    }

    /** The sessions holding the lock, each as a lock whose time is the session's start. */
    @Override
    public DatabaseChangeLogLock[] listLocks() throws LockException {
        List<DatabaseChangeLogLock> locks = new ArrayList<>();
        try (PreparedStatement statement = connection().prepareStatement(HOLDERS)) {
            statement.setString(1, LOCK_NAME);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    locks.add(new DatabaseChangeLogLock(rs.getInt("pid"), new Date(rs.getTimestamp("since")
                            .getTime()), rs.getString("holder")));
                }
            }
            database.commit();
        } catch (SQLException | DatabaseException e) {
            throw new LockException("cannot list the change log lock's holders: " + e.getMessage(), e);
        }
        return locks.toArray(DatabaseChangeLogLock[]::new);
    }

    /**
     * Ends the sessions that hold the lock, other than this one, and releases this one's hold; fails naming the
     * sessions PostgreSQL would not end (another role's, without the privilege to signal it).
     */
    @Override
    public void forceReleaseLock() throws LockException {
        List<String> survivors = new ArrayList<>();
        try (PreparedStatement statement = connection().prepareStatement("SELECT holder,"
                + " pg_terminate_backend(pid) AS ended FROM (" + HOLDERS + ") AS h WHERE pid <> pg_backend_pid()")) {
            statement.setString(1, LOCK_NAME);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    if (!rs.getBoolean("ended")) {
                        survivors.add(rs.getString("holder"));
                    }
                }
            }
            database.commit();
        } catch (SQLException | DatabaseException e) {
            throw new LockException("cannot end the change log lock's holders: " + e.getMessage(), e);
        }
        releaseLock();
        if (!survivors.isEmpty()) {
            throw new LockException("could not end " + String.join(", ", survivors)
                    + ", which still holds the change log lock");
        }
    }

    @Override
    public void reset() {
        held = false;
        super.reset();
    }

    private static final String HOLDERS = """
            SELECT a.pid, a.backend_start AS since,
                   format('session %s (%s, %s, started %s)', a.pid, coalesce(nullif(a.application_name, ''),
                          'no application name'), coalesce(host(a.client_addr), 'local'), a.backend_start) AS holder
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database
                                                                            WHERE datname = current_database())
              AND l.objsubid = 1 AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended(?, 0)""";

    private String holders() throws LockException {
        DatabaseChangeLogLock[] locks = listLocks();
        if (locks.length == 0) {
            return "no session any more";
        }
        List<String> names = new ArrayList<>();
        for (DatabaseChangeLogLock lock : locks) {
            names.add(lock.getLockedBy());
        }
        return String.join(", ", names);
    }

    private Connection connection() throws LockException {
        if (database.getConnection() instanceof JdbcConnection jdbc) {
            return jdbc.getUnderlyingConnection();
        }
        throw new LockException("the change log lock needs a JDBC connection");
    }
}
