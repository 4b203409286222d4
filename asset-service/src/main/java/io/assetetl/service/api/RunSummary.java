package io.assetetl.service.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.assetetl.run.RunRecord;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.UUID;

/** One run of the ledger ({@code etl_runs}). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunSummary(UUID runId, String source, String kind, String status, Instant startedAt,
        @Schema(nullable = true) Instant finishedAt, @Schema(nullable = true) Long durationMs, long recordsProcessed,
        long recordsLoaded, long recordsUnchanged, long recordsRejected, int chunks,
        @Schema(nullable = true) String error, @Schema(nullable = true) UUID resumedFrom) {

    public static RunSummary from(RunRecord r) {
        return new RunSummary(r.runId(), r.source(), r.kind(), r.status().code(), r.startedAt(), r.finishedAt(),
                r.durationMs(), r.recordsProcessed(), r.recordsLoaded(), r.recordsUnchanged(), r.recordsRejected(),
                r.chunks(), r.error(), r.resumedFrom());
    }
}
