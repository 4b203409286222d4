package io.assetetl.store;

import java.sql.SQLException;
import java.util.Set;
import org.jdbi.v3.core.ConnectionException;

/** Tells a database that cannot be reached from a statement that failed on its own. */
public final class DatabaseFailures {

    /**
     * SQLSTATEs of a server that cannot serve beyond classes 08 (connection exceptions) and 57P (shut down, starting,
     * database dropped, session ended): the database does not exist, as when renamed (3D000), or it takes no more
     * connections (53300).
     */
    private static final Set<String> UNAVAILABLE = Set.of("3D000", "53300");

    /** PostgreSQL's SQLSTATE for a relation that does not exist. */
    private static final String UNDEFINED_TABLE = "42P01";

    private DatabaseFailures() {
    }

    /**
     * {@code e} as the failure of a database without the asset-etl schema, or with part of it, which says to migrate
     * it, when a relation that {@code e}'s statement used does not exist; else {@code e} itself.
     */
    public static RuntimeException sayingWhenUnmigrated(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && UNDEFINED_TABLE.equals(sql.getSQLState())) {
                // the driver's first line, without the position in a statement the caller never wrote
                String said = sql.getMessage() == null ? "42P01" : sql.getMessage().lines().findFirst().orElse("");
                return new IllegalStateException("the database has no asset-etl schema, or an incomplete one ("
                        + said + "): migrate it first (AssetEtl.migrate, or the service's db migrate)", e);
            }
        }
        return e;
    }

    /**
     * What {@code e} says, for a log line: the driver's message when a statement failed, without the statement and
     * arguments that Jdbi's message quotes after it (a whole {@code INSERT}, a payload); else {@code e}'s message, or
     * its class when it has none.
     */
    public static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getMessage() != null) {
                return sql.getMessage();
            }
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Whether {@code e}, or one of its causes, says the database is unreachable or its connection was lost. */
    public static boolean isUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P")
                    || UNAVAILABLE.contains(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}
