package io.assetetl.model;

import static java.util.Objects.requireNonNull;

/**
 * Where a source's reading stood after a batch. Its content is owned by the adapter and opaque to the engine,
 * which stores it in {@code etl_checkpoints} in the same transaction as the batch's rows.
 *
 * <p>It comes back to {@link io.assetetl.spi.Source#open} as an equal JSON value, not as the same text: PostgreSQL
 * stores it as {@code jsonb}, which sets its own spacing and key order, keeps the last of duplicate keys and writes
 * {@code 5.0e0} as {@code 5.0}. Parse a position; do not compare or match its text.
 *
 * @param stream   the stream within the source ({@link #DEFAULT_STREAM} for single-stream sources)
 * @param position JSON, an object as a rule, for example {@code {"file_sha256":"…","line":1200,"offset":53211}}
 */
public record Checkpoint(String stream, String position) {

    public static final String DEFAULT_STREAM = "default";

    /**
     * The longest stream name the engine stores, in characters: the name is a key of {@code etl_checkpoints}, whose
     * index entries PostgreSQL limits to about 2,700 bytes. A batch whose checkpoint has a longer stream name, or
     * one holding a NUL or half of a surrogate pair, or a position holding a number PostgreSQL's {@code numeric}
     * cannot store (such as {@code 1e1000000}), fails its run as an adapter's bug, before anything of it is
     * written; it used to fail that chunk's transaction at every run. (Not refused here: the checkpoints stored
     * before are read back through this constructor.)
     */
    public static final int MAX_STREAM_LENGTH = 512;

    /** @throws IllegalArgumentException when {@code position} is not JSON (the engine stores it as {@code jsonb}) */
    public Checkpoint {
        requireNonNull(stream, "stream is null");
        if (!JsonText.isJson(requireNonNull(position, "position is null"))) {
            throw JsonText.notJson("checkpoint position", position);
        }
    }

    /** A checkpoint of the default stream. */
    public static Checkpoint of(String position) {
        return new Checkpoint(DEFAULT_STREAM, position);
    }
}
