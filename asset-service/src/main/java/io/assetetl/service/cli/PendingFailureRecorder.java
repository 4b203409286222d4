package io.assetetl.service.cli;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the database a bounded time to come back after a command's run failed because it had gone, so that the run's
 * failure is recorded with its own error: the process ends right after, and the source's next run, in another
 * process, would mark the run {@code abandoned} with a generic reason instead. Tries again with growing pauses; an
 * interruption (SIGTERM, Ctrl-C) ends the wait at once.
 */
final class PendingFailureRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(PendingFailureRecorder.class);

    /** How long a command waits for its database to record its run's failure. */
    static final Duration PATIENCE = Duration.ofSeconds(15);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(250);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(2);

    /** The clock and the sleep the waiting uses: the system's, or a test's. */
    interface Time {
        Time SYSTEM = new Time() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleep(Duration duration) throws InterruptedException {
                Thread.sleep(duration.toMillis());
            }
        };

        long nanoTime();

        void sleep(Duration duration) throws InterruptedException;
    }

    private final Duration patience;
    private final Time time;

    PendingFailureRecorder(Duration patience, Time time) {
        this.patience = patience;
        this.time = time;
    }

    /**
     * Calls {@code attempt} (true when nothing is left to record; a {@link RuntimeException} when the database cannot
     * be reached) until it returns true or the patience is spent; returns whether it did.
     */
    boolean record(BooleanSupplier attempt) {
        long deadline = time.nanoTime() + patience.toNanos();
        Duration pause = FIRST_PAUSE;
        for (int attempts = 1; ; attempts++) {
            try {
                if (attempt.getAsBoolean()) {
                    return true;
                }
            } catch (RuntimeException unreachable) {
                if (attempts == 1) {
                    LOG.warn("cannot record the run's failure, the database does not answer ({}): trying for up to"
                            + " {} s", unreachable.getMessage(), patience.toSeconds());
                }
            }
            long left = deadline - time.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                time.sleep(left < pause.toNanos() ? Duration.ofNanos(left) : pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
        }
    }
}
