package io.assetetl.service.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ends a command's run when the JVM is asked to end (SIGTERM, Ctrl-C): interrupts the command's thread, so that the
 * run fails and records that it did, as the server's scheduler does with its runs, and holds the JVM's end until
 * the command is over, for at most a grace period. Without it the run's row would stay {@code running} until the
 * next run of the source marked it abandoned.
 */
final class InterruptOnShutdown implements AutoCloseable {

    private final Thread hook;
    private final CountDownLatch over = new CountDownLatch(1);

    private InterruptOnShutdown(Thread command, Duration grace) {
        this.hook = new Thread(() -> {
            command.interrupt();
            try {
                over.await(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "command-shutdown");
    }

    /** Watches for the JVM's end on behalf of the calling thread, until {@link #close}. */
    static InterruptOnShutdown install(Duration grace) {
        InterruptOnShutdown watch = new InterruptOnShutdown(Thread.currentThread(), grace);
        Runtime.getRuntime().addShutdownHook(watch.hook);
        return watch;
    }

    /** The command is over: the JVM may end. */
    @Override
    public void close() {
        over.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running, and returns now
        }
    }
}
