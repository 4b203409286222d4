package io.assetetl.store.internal;

/**
 * What one committed chunk did. {@code processed == loaded + unchanged + rejected}: a record is loaded when the chunk
 * changed stored canonical data for it (its price history row, or its source's latest values), unchanged when it
 * wrote nothing for it, as when an unchanged input is read again (see {@link ChunkWriter} for records that a later
 * one of the chunk replaces), and rejected when it went to {@code etl_rejects}.
 */
public record ChunkOutcome(long processed, long loaded, long unchanged, long rejected) {

    public ChunkOutcome {
        if (processed != loaded + unchanged + rejected) {
            throw new IllegalStateException("chunk counters do not add up: processed=" + processed + " loaded="
                    + loaded + " unchanged=" + unchanged + " rejected=" + rejected);
        }
    }
}
