package io.assetetl.service.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.assetetl.query.DriftEventRecord;
import io.assetetl.run.RunRecord;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** {@code GET /runs/{run_id}}: one run, its rejects counted by reason, and the schema drift it saw. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunDetail(UUID runId, String source, String kind, String status, Instant startedAt,
        @Schema(nullable = true) Instant finishedAt, @Schema(nullable = true) Long durationMs, long recordsProcessed,
        long recordsLoaded, long recordsUnchanged, long recordsRejected, int chunks,
        @Schema(nullable = true) String error, @Schema(nullable = true) UUID resumedFrom,
        Map<String, Long> rejectsByReason, List<DriftEvent> driftEvents) {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record DriftEvent(String kind, @Schema(nullable = true) String expected,
            @Schema(nullable = true) String actual, BigDecimal confidence, String action, Instant createdAt) {
    }

    public static RunDetail from(RunRecord r, Map<String, Long> rejectsByReason, List<DriftEventRecord> drift) {
        return new RunDetail(r.runId(), r.source(), r.kind(), r.status().code(), r.startedAt(), r.finishedAt(),
                r.durationMs(), r.recordsProcessed(), r.recordsLoaded(), r.recordsUnchanged(), r.recordsRejected(),
                r.chunks(), r.error(), r.resumedFrom(), Map.copyOf(rejectsByReason),
                drift.stream().map(d -> new DriftEvent(d.kind(), d.expected(), d.actual(), d.confidence(),
                        d.action(), d.createdAt())).toList());
    }
}
