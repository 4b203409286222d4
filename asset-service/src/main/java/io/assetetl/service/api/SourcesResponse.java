package io.assetetl.service.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.assetetl.run.CheckpointRecord;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** {@code GET /sources}: every configured source. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SourcesResponse(List<SourceStatus> data) {

    /** @param lastRun {@code null} when the source never ran */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SourceStatus(String name, String type, boolean enabled, List<CheckpointView> checkpoints,
            @Schema(nullable = true, schemaResolution = Schema.SchemaResolution.ALL_OF_REF) RunSummary lastRun,
            Freshness freshness) {
    }

    /** @param position the adapter's own position object */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CheckpointView(String stream,
            @Schema(implementation = Object.class, description = "the adapter's own position object")
            @JsonRawValue String position, UUID runId, Instant updatedAt) {

        public static CheckpointView from(CheckpointRecord c) {
            return new CheckpointView(c.stream(), c.position(), c.runId(), c.updatedAt());
        }
    }

    /**
     * @param assets           assets this source currently reports
     * @param latestObservedAt newest observation time among them
     * @param lastSuccessAt    when the last successful run finished
     * @param ageSeconds       seconds since then; {@code null} when it never succeeded
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Freshness(long assets, @Schema(nullable = true) Instant latestObservedAt,
            @Schema(nullable = true) Instant latestUpdatedAt, @Schema(nullable = true) Instant lastSuccessAt,
            @Schema(nullable = true) Long ageSeconds) {
    }
}
