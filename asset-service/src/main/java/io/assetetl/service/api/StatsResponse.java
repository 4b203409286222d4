package io.assetetl.service.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.assetetl.query.SourceActivity;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * {@code GET /stats}: what each source's ingest runs have done, by source name, configured sources first. Reprocess
 * runs fetch nothing and are left out; {@code /runs} lists them.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StatsResponse(Map<String, SourceStats> sources) {

    /**
     * @param lastRunMetadata the last run's metadata object, as the engine stored it
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SourceStats(long runs, long recordsProcessedLastRun, long recordsProcessedTotal,
            @Schema(nullable = true) Long lastDurationMs, @Schema(nullable = true) UUID lastRunId,
            @Schema(nullable = true) String lastStatus, @Schema(nullable = true) Instant lastRunStartedAt,
            @Schema(nullable = true) Instant lastSuccessAt, @Schema(nullable = true) Instant lastFailureAt,
            @Schema(implementation = Object.class, nullable = true,
                    description = "the last run's metadata object as stored; null before the first run")
            @JsonRawValue String lastRunMetadata) {

        /** A configured source that has not run yet. */
        public static final SourceStats NEVER_RUN = new SourceStats(0, 0, 0, null, null, null, null, null, null,
                null);

        public static SourceStats from(SourceActivity a) {
            return new SourceStats(a.runs(), a.lastRun().recordsProcessed(), a.totalProcessed(),
                    a.lastRun().durationMs(), a.lastRun().runId(), a.lastRun().status().code(),
                    a.lastRun().startedAt(), a.lastSuccessAt(), a.lastFailureAt(),
                    a.lastRunMetadata() == null ? "{}" : a.lastRunMetadata());
        }
    }
}
