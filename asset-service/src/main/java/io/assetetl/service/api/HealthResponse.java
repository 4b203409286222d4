package io.assetetl.service.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Map;

/**
 * {@code GET /health}.
 *
 * @param status   {@code ok} or {@code error}
 * @param database {@code connected} or {@code disconnected}
 * @param etl      each source's last run, by source name; empty when the database cannot be read
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record HealthResponse(String status, String database, Map<String, SourceHealth> etl) {

    /** @param lastStatus {@code null} when the source never ran */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SourceHealth(@Schema(nullable = true) String lastStatus,
            @Schema(nullable = true) Instant lastSuccessAt, @Schema(nullable = true) Instant lastFailureAt) {
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean healthy() {
        return "ok".equals(status);
    }
}
