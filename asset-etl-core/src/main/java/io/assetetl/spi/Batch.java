package io.assetetl.spi;

import static java.util.Objects.requireNonNull;

import io.assetetl.model.Checkpoint;
import io.assetetl.model.DriftEvent;
import io.assetetl.model.Interpretation;
import java.util.List;

/**
 * A chunk of input and where the reading stands after it.
 *
 * @param records     what the source made of each raw record, in input order
 * @param driftEvents schema drift noticed while reading this batch (usually only in the first batch)
 * @param checkpoint  the position after the last record of this batch
 */
public record Batch(List<Interpretation> records, List<DriftEvent> driftEvents, Checkpoint checkpoint) {

    public Batch {
        records = List.copyOf(records);
        driftEvents = List.copyOf(driftEvents);
        requireNonNull(checkpoint, "checkpoint is null");
    }

    public static Batch of(List<Interpretation> records, Checkpoint checkpoint) {
        return new Batch(records, List.of(), checkpoint);
    }
}
