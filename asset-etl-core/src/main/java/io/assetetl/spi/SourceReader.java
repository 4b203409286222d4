package io.assetetl.spi;

import java.util.Optional;

/**
 * Reads a source's input batch by batch. Used from one thread.
 */
public interface SourceReader extends AutoCloseable {

    /**
     * Reads the next batch, blocking at most as long as the source's own timeouts allow.
     *
     * @return the next batch, or empty when the input is exhausted; never null
     * @throws SourceException on an infrastructure failure (unreadable file, API gave up after its retries);
     *                         bad records are never exceptions but {@link io.assetetl.model.Rejection}s
     */
    Optional<Batch> next();

    /** Releases the input. Safe to call more than once and at any point. */
    @Override
    void close();
}
