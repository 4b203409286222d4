package io.assetetl.query;

import static java.util.Objects.requireNonNull;

import io.assetetl.store.AssetSummaries;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
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
 * The listening thread opens its connections from the {@link DataSource} it is given and closes them itself, so
 * that should be a plain data source, not a pool: a pool would lend a connection still registered as listening.
 */
public final class SummaryChanges implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SummaryChanges.class);
    private static final int POLL_MILLIS = 500;
    private static final int VALIDATION_SECONDS = 5;
    private static final Duration CHECK_EVERY = Duration.ofSeconds(10);

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
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private boolean wasListening = true; // so that the first failure is logged; only the listening thread uses it

    private SummaryChanges(DataSource dataSource, Listener listener, Duration retryAfter) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.retryAfter = requireNonNull(retryAfter, "retryAfter is null");
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
        SummaryChanges changes = new SummaryChanges(dataSource, listener, retryAfter);
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
            wasListening = true;
            listener.listening();
            long checkAt = System.nanoTime() + CHECK_EVERY.toNanos();
            while (running) {
                PGNotification[] notifications = postgres.getNotifications(POLL_MILLIS);
                if (notifications != null && notifications.length > 0) {
                    listener.changed();
                } else if (System.nanoTime() - checkAt > 0) {
                    // a connection whose server vanished without closing it reads nothing, and no error either
                    if (!connection.isValid(VALIDATION_SECONDS)) {
                        throw new SQLException("the listening connection is no longer valid", "08006");
                    }
                    checkAt = System.nanoTime() + CHECK_EVERY.toNanos();
                }
            }
        }
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
