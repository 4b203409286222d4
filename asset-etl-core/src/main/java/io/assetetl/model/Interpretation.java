package io.assetetl.model;

/**
 * What a source made of one raw record: either an {@link Observation} or a {@link Rejection}.
 */
public sealed interface Interpretation permits Observation, Rejection {

    /** The raw record that was interpreted. */
    RawRecord raw();
}
