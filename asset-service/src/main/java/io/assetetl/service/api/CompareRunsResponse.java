package io.assetetl.service.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.assetetl.query.RunComparison;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** {@code GET /compare-runs}: consecutive finished runs side by side, newest pair first. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CompareRunsResponse(List<Pair> data) {

    /**
     * @param recordCountChange relative change of records processed ({@code null} when the previous run had none)
     * @param durationRatio     current duration over previous ({@code null} when either is unknown or zero)
     * @param anomalies         {@code record_count_change}, {@code duration_over_2x}, {@code zero_records},
     *                          {@code succeeded_to_failed}
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Pair(String source, RunSummary current, RunSummary previous,
            @Schema(nullable = true) Double recordCountChange, @Schema(nullable = true) Double durationRatio,
            List<String> anomalies) {

        public static Pair from(RunComparison c) {
            long before = c.previous().recordsProcessed();
            Double change = before == 0 ? null
                    : (double) (c.current().recordsProcessed() - before) / before;
            Long now = c.current().durationMs();
            Long then = c.previous().durationMs();
            Double ratio = now == null || then == null || then == 0 ? null : (double) now / then;
            return new Pair(c.current().source(), RunSummary.from(c.current()), RunSummary.from(c.previous()),
                    change, ratio, c.anomalies());
        }
    }
}
