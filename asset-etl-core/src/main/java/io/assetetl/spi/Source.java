package io.assetetl.spi;

import io.assetetl.model.Checkpoint;
import io.assetetl.model.Interpretation;
import io.assetetl.model.RawRecord;
import java.util.Map;
import java.util.Optional;

/**
 * A configured source of asset observations.
 *
 * <p>Lifecycle: created by its {@link SourceFactory} for one run, {@link #open opened} once, read to the end or
 * until the run fails, then {@link #close() closed}. The engine opens and closes a source on the run's thread, and
 * reads and closes its reader on a thread of its own, never both at once: the source is closed after its reader,
 * except that a reader which does not stop within 10 seconds of being interrupted is not waited for any longer
 * (the source's lock is then held until it does stop).
 *
 * <p>A source never writes the database and never saves checkpoints: it yields batches, each with the checkpoint
 * that holds <em>after</em> it, and the engine commits the batch and its checkpoint in one transaction.
 */
public interface Source extends AutoCloseable {

    /** The configured name of this source. */
    String name();

    /**
     * Opens a reader that continues after {@code checkpoint}, or from the beginning when it is empty. A source may
     * ignore a checkpoint that no longer fits its input (a rewritten file) and start afresh.
     *
     * @throws SourceException when the input cannot be reached at all
     */
    SourceReader open(Optional<Checkpoint> checkpoint);

    /**
     * Opens a reader that continues after the checkpoints of this source's streams: the last one committed for each
     * stream ({@link Checkpoint#stream()}), empty before the first. This is what the engine calls. Its default
     * continues the default stream ({@link #open(Optional)}), which is all a source of one stream needs; a source
     * whose batches carry checkpoints of several streams overrides this one.
     *
     * @param checkpoints by stream
     * @throws SourceException when the input cannot be reached at all
     */
    default SourceReader open(Map<String, Checkpoint> checkpoints) {
        return open(Optional.ofNullable(checkpoints.get(Checkpoint.DEFAULT_STREAM)));
    }

    /**
     * Interprets a raw record that this source (or an earlier version of it) produced, without reading its input:
     * what {@code reprocess} calls for every stored raw row. Must give the same result as the reader gave for the
     * same raw record, as read and as stored: the stored payload is the same JSON value in PostgreSQL's
     * {@code jsonb} text, with its own spacing and key order, so it is to be parsed, never matched as text.
     *
     * @return an {@link io.assetetl.model.Observation} or a {@link io.assetetl.model.Rejection}, never null
     */
    Interpretation interpret(RawRecord raw);

    /** Releases what the source holds. Safe to call more than once and at any point. */
    @Override
    default void close() {
    }
}
