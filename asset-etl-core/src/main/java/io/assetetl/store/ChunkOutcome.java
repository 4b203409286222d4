package io.assetetl.store;

/**
 * What one committed chunk did. {@code processed == loaded + unchanged + rejected}.
 */
public record ChunkOutcome(long processed, long loaded, long unchanged, long rejected) {

    public ChunkOutcome {
        if (processed != loaded + unchanged + rejected) {
            throw new IllegalStateException("chunk counters do not add up: processed=" + processed + " loaded="
                    + loaded + " unchanged=" + unchanged + " rejected=" + rejected);
        }
    }
}
