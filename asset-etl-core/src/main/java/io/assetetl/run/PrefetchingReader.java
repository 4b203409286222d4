package io.assetetl.run;

import io.assetetl.spi.Batch;
import io.assetetl.spi.SourceException;
import io.assetetl.spi.SourceReader;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Reads the next batch on a thread of its own, and prepares it there with a function of its own, while the engine
 * writes the current one, so parsing, checking and the database work overlap. The wrapped reader is only ever used
 * from that one thread, as the SPI promises adapters.
 *
 * @param <T> what a batch becomes once prepared
 */
final class PrefetchingReader<T> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PrefetchingReader.class);
    private static final Object END = new Object();

    /** How long {@link #close} waits for the reading thread to stop. */
    static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final BlockingQueue<Object> queue;
    private final Thread thread;
    private final Duration stopWait;
    /** Completes when the reading thread has stopped, the wrapped reader closed. */
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile boolean closed;
    private boolean ended;

    /**
     * The logging context of the calling thread (the run and source) carries over to the reading thread.
     *
     * @param depth how many prepared batches may wait to be taken besides the one the reading thread holds ready:
     *              with 0, it reads and prepares one batch ahead of the one the engine writes, and then waits
     */
    PrefetchingReader(SourceReader reader, Function<Batch, T> prepare, int depth, String name) {
        this(reader, prepare, depth, name, STOP_WAIT);
    }

    PrefetchingReader(SourceReader reader, Function<Batch, T> prepare, int depth, String name, Duration stopWait) {
        if (reader == null) {
            throw new SourceException("source " + name + " returned no reader from open()");
        }
        this.queue = depth == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(depth);
        this.stopWait = stopWait;
        Map<String, String> context = MDC.getCopyOfContextMap();
        this.thread = new Thread(() -> {
            if (context != null) {
                MDC.setContextMap(context);
            }
            try {
                pump(reader, prepare);
            } finally {
                stopped.complete(null);
            }
        }, "asset-etl-read-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    private void pump(SourceReader reader, Function<Batch, T> prepare) {
        try {
            for (Optional<Batch> next = next(reader); next.isPresent() && !closed; next = next(reader)) {
                queue.put(prepare.apply(next.get()));
            }
            if (!closed) {
                queue.put(END);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            // an Error, or a checked exception an adapter throws undeclared, must reach the engine too;
            // put, not offer: the queue may still hold the last good batch, and the failure must not be lost
            try {
                if (!closed) {
                    queue.put(e);
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        } finally {
            closeReader(reader);
        }
    }

    /**
     * Closes the wrapped reader once its batches, its end or its failure are handed over: a failure to close is
     * logged, not thrown, as the engine has taken the end by then (or stopped taking), and nothing else would see it.
     */
    private static void closeReader(SourceReader reader) {
        try {
            reader.close();
        } catch (Throwable e) {
            LOG.warn("closing the source's reader failed: {}", e.toString(), e);
        }
    }

    /** The reader's next batch; a reader that breaks the SPI's rule by returning null fails the run saying so. */
    private static Optional<Batch> next(SourceReader reader) {
        Optional<Batch> next = reader.next();
        if (next == null) {
            throw new SourceException("the source's reader returned null from next(); at the end of its input it"
                    + " must return Optional.empty()");
        }
        return next;
    }

    /** The next prepared batch, or empty after the last; a failure to read or prepare is thrown here. */
    @SuppressWarnings("unchecked")
    public Optional<T> next() {
        if (ended) {
            return Optional.empty();
        }
        Object item;
        try {
            // a hand-over queue gives a batch that is waiting without looking at the flag, and the reading thread is
            // ahead of the writing most of the time: an interruption during the write (in a JDBC call, which leaves
            // the flag set) would never have ended the run
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException();
            }
            item = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("interrupted while waiting for the next batch", e);
        }
        if (item == END) {
            ended = true;
            return Optional.empty();
        }
        if (item instanceof RuntimeException e) {
            ended = true;
            throw e;
        }
        if (item instanceof Error e) {
            ended = true;
            throw e;
        }
        if (item instanceof Throwable undeclared) {
            ended = true;
            throw new SourceException("reading failed: " + undeclared, undeclared);
        }
        return Optional.of((T) item);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.clear();
        thread.interrupt();
        // the reading thread closes the wrapped reader itself; a reader stuck in I/O gets a bounded wait, also when
        // this thread was interrupted (a run stopped by the library's close or the process's end), where join would
        // return at once and the source be closed while its reader still runs
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + stopWait.toNanos();
        try {
            for (long left = stopWait.toNanos(); left > 0 && thread.isAlive(); left = deadline - System.nanoTime()) {
                try {
                    thread.join(Math.max(1, left / 1_000_000));
                } catch (InterruptedException again) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether the reading thread has stopped (and closed the wrapped reader). */
    boolean stopped() {
        return stopped.isDone();
    }

    /**
     * Runs {@code action} once the reading thread has stopped: at once when it has, else on that thread as it ends.
     */
    void whenStopped(Runnable action) {
        stopped.thenRun(action);
    }
}
