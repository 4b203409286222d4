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

    /** @throws NullPointerException when a list, one of its elements or the checkpoint is null, saying which */
    public Batch {
        requireNonNull(records, "records is null");
        requireNonNull(driftEvents, "driftEvents is null");
        try {
            records = List.copyOf(records);
        } catch (NullPointerException e) {
            throw new NullPointerException("a batch holds null for its record " + (records.indexOf(null) + 1) + " of "
                    + records.size() + ": a reader gives an Observation or a Rejection for every record it read");
        }
        try {
            driftEvents = List.copyOf(driftEvents);
        } catch (NullPointerException e) {
            throw new NullPointerException("a batch holds null for its drift event " + (driftEvents.indexOf(null) + 1)
                    + " of " + driftEvents.size());
        }
        requireNonNull(checkpoint, "checkpoint is null");
    }

    public static Batch of(List<Interpretation> records, Checkpoint checkpoint) {
        return new Batch(records, List.of(), checkpoint);
    }
}
