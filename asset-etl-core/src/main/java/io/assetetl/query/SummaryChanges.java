package io.assetetl.query;

import static java.util.Objects.requireNonNull;

import io.assetetl.store.internal.AssetSummaries;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a {@link Listener} when the asset summaries change, whichever process changed them: it keeps one connection
 * that {@code LISTEN}s on {@link AssetSummaries#CHANGED_CHANNEL}, which every transaction that changes summaries
 * notifies when it commits. A reader can therefore keep what it read from the summaries until it is told they
 * changed, and read nothing from the database meanwhile.
 *
 * <p>While the connection is down, changes go untold: the listener hears {@link Listener#lost} and, once a new
 * connection listens again, {@link Listener#listening}, after which it must assume anything may have changed.
 * A connection counts as listening only once a notification it sent itself came back, when it starts and every
 * 10 s after: that also finds a connection whose server vanished without closing it (which reads nothing, and no
 * error either) and one behind a pooler in transaction mode (which never hears what it listens for).
 * The listening thread opens its connections from the {@link DataSource} it is given and closes them itself, so
 * that should be a plain data source, not a pool: a pool would lend a connection still registered as listening.
 */
public final class SummaryChanges implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SummaryChanges.class);
    private static final int POLL_MILLIS = 500;
    private static final int VALIDATION_SECONDS = 5;
    private static final Duration CHECK_EVERY = Duration.ofSeconds(10);
    private static final Duration ECHO_TIMEOUT = Duration.ofSeconds(5);
    /** How the notifications that check a connection begin; every listener ignores them. */
    private static final String CHECK_PREFIX = "check ";

    /** What hears of changes; called on the listening thread, one call at a time. */
    public interface Listener {

        /** Listening, from the first connection or again after {@link #lost}: anything may have changed before. */
        void listening();

        /** A transaction that changed summaries committed. */
        void changed();

        /** Not listening any more: changes go untold until {@link #listening} is heard again. */
        void lost(Exception cause);
    }

    private final DataSource dataSource;
    private final Listener listener;
    private final Duration retryAfter;
    private final Duration echoTimeout;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private boolean wasListening = true; // so that the first failure is logged; only the listening thread uses it

    private SummaryChanges(DataSource dataSource, Listener listener, Duration retryAfter, Duration echoTimeout) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.retryAfter = requireNonNull(retryAfter, "retryAfter is null");
        this.echoTimeout = requireNonNull(echoTimeout, "echoTimeout is null");
        this.thread = new Thread(this::listen, "summary-changes");
        this.thread.setDaemon(true);
    }

    /**
     * Starts listening on a thread of its own.
     *
     * @param dataSource where each listening connection is opened (not a pool)
     * @param retryAfter how long to wait before opening a new connection after one failed
     */
    public static SummaryChanges start(DataSource dataSource, Listener listener, Duration retryAfter) {
        return start(dataSource, listener, retryAfter, ECHO_TIMEOUT);
    }

    /** As {@link #start(DataSource, Listener, Duration)}, waiting {@code echoTimeout} for a check to come back. */
    static SummaryChanges start(DataSource dataSource, Listener listener, Duration retryAfter, Duration echoTimeout) {
        SummaryChanges changes = new SummaryChanges(dataSource, listener, retryAfter, echoTimeout);
        changes.thread.start();
        return changes;
    }

    private void listen() {
        try {
            while (running) {
                try {
                    listenOnce();
                } catch (SQLException | RuntimeException e) {
                    if (!running) {
                        break;
                    }
                    if (wasListening) {
                        LOG.warn("not listening for summary changes, retrying every {}: {}", retryAfter,
                                e.getMessage());
                    } else {
                        LOG.debug("still not listening for summary changes: {}", e.getMessage());
                    }
                    wasListening = false;
                    listener.lost(e);
                    if (stopped.await(retryAfter.toMillis(), TimeUnit.MILLISECONDS)) {
                        break;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void listenOnce() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            try (Statement statement = connection.createStatement()) {
                statement.execute("LISTEN " + AssetSummaries.CHANGED_CHANNEL);
            }
            PGConnection postgres = connection.unwrap(PGConnection.class);
            check(connection, postgres); // what changed before does not matter: listening() means anything may have
            wasListening = true;
            listener.listening();
            long checkAt = System.nanoTime() + CHECK_EVERY.toNanos();
            while (running) {
                boolean changed = anyChange(postgres.getNotifications(POLL_MILLIS));
                if (System.nanoTime() - checkAt > 0) {
                    changed |= check(connection, postgres);
                    checkAt = System.nanoTime() + CHECK_EVERY.toNanos();
                }
                if (changed) {
                    listener.changed();
                }
            }
        }
    }

    /**
     * Sends a notification of its own on the connection and waits for it to come back; returns whether changes were
     * told meanwhile.
     *
     * @throws SQLException when the connection is no longer valid or the notification does not come back in time
     */
    private boolean check(Connection connection, PGConnection postgres) throws SQLException {
        if (!connection.isValid(VALIDATION_SECONDS)) {
            throw new SQLException("the listening connection is no longer valid", "08006");
        }
        String token = CHECK_PREFIX + UUID.randomUUID();
        try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
            notify.setString(1, AssetSummaries.CHANGED_CHANNEL);
            notify.setString(2, token);
            notify.execute();
        }
        boolean changed = false;
        boolean echoed = false;
        long deadline = System.nanoTime() + echoTimeout.toNanos();
        while (!echoed && running && System.nanoTime() - deadline < 0) {
            PGNotification[] notifications = postgres.getNotifications(POLL_MILLIS);
            for (PGNotification notification : notifications == null ? new PGNotification[0] : notifications) {
                echoed |= token.equals(notification.getParameter());
                changed |= !isCheck(notification);
            }
        }
        if (!echoed && running) {
            throw new SQLException("a notification sent on the listening connection did not come back within "
                    + echoTimeout + " (is the database behind a pooler in transaction mode?)", "08006");
        }
        return changed;
    }

    /** Whether any of {@code notifications} (null when there are none) tells of a change. */
    static boolean anyChange(PGNotification[] notifications) {
        if (notifications != null) {
            for (PGNotification notification : notifications) {
                if (!isCheck(notification)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether {@code notification} checks a connection, this service's or another's: it tells of no change. */
    private static boolean isCheck(PGNotification notification) {
        return notification.getParameter() != null && notification.getParameter().startsWith(CHECK_PREFIX);
    }

    /** Whether the listening thread still runs (it runs until {@link #close}, through lost connections). */
    public boolean isRunning() {
        return thread.isAlive();
    }

    /** Stops listening and closes the connection, waiting for the thread up to a poll's length. */
    @Override
    public void close() {
        running = false;
        stopped.countDown();
        try {
            thread.join(POLL_MILLIS * 4L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
