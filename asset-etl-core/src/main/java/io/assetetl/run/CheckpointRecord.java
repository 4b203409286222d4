package io.assetetl.run;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of {@code etl_checkpoints}: where a source's stream stands and which run put it there.
 *
 * @param position the adapter's JSON text
 */
public record CheckpointRecord(String source, String stream, String position, UUID runId, Instant updatedAt) {
}
