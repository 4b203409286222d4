package io.assetetl.run;

import io.assetetl.spi.Batch;
import io.assetetl.spi.SourceException;
import io.assetetl.spi.SourceReader;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads the next batch on a thread of its own while the engine writes the current one, so parsing and the database
 * work overlap. The wrapped reader is only ever used from that one thread, as the SPI promises adapters.
 */
final class PrefetchingReader implements SourceReader {

    private static final Object END = new Object();

    private final BlockingQueue<Object> queue;
    private final Thread thread;
    private volatile boolean closed;
    private boolean ended;

    PrefetchingReader(SourceReader reader, int depth, String name) {
        this.queue = new ArrayBlockingQueue<>(depth);
        this.thread = new Thread(() -> pump(reader), "asset-etl-read-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    private void pump(SourceReader reader) {
        try (reader) {
            for (Optional<Batch> next = reader.next(); next.isPresent() && !closed; next = reader.next()) {
                queue.put(next.get());
            }
            if (!closed) {
                queue.put(END);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            // put, not offer: the queue may still hold the last good batch, and the failure must not be lost
            try {
                if (!closed) {
                    queue.put(e);
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public Optional<Batch> next() {
        if (ended) {
            return Optional.empty();
        }
        Object item;
        try {
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
        return Optional.of((Batch) item);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.clear();
        thread.interrupt();
        try {
            // the reading thread closes the wrapped reader itself; a reader stuck in I/O gets a bounded wait
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
