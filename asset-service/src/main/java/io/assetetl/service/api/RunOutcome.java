package io.assetetl.service.api;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.assetetl.run.RunResult;
import java.util.UUID;

/** The one-line JSON summary that {@code ingest} and {@code reprocess} print last on stdout. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"run_id", "source", "status", "records_processed", "records_loaded", "records_unchanged",
        "records_rejected", "duration_ms"})
public record RunOutcome(UUID runId, String source, String status, long recordsProcessed, long recordsLoaded,
        long recordsUnchanged, long recordsRejected, long durationMs) {

    public static RunOutcome from(RunResult r) {
        return new RunOutcome(r.runId(), r.source(), r.status().code(), r.processed(), r.loaded(), r.unchanged(),
                r.rejected(), r.durationMs());
    }
}
