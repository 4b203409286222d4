package io.assetetl.service.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * One canonical asset in a list. The schema of {@code GET /data}'s items, which the database renders (see
 * {@code AssetQueries.pageJson}).
 *
 * @param priceUsd         the consensus: median of the sources' latest prices
 * @param observedAt       the newest observation among the sources
 * @param divergentSources sources whose price differs from the consensus by more than the threshold
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AssetSummary(String symbol, @Schema(nullable = true) String name, BigDecimal priceUsd,
        Instant observedAt, List<SourceQuote> sources, List<String> divergentSources) {

    /** @param symbol the symbol as this source wrote it */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SourceQuote(String source, String symbol, BigDecimal priceUsd, Instant observedAt) {
    }

    /** The contract's column name for the same value, so that {@code assets} and {@code /data} read alike. */
    @com.fasterxml.jackson.annotation.JsonProperty("canonical_symbol")
    public String canonicalSymbol() {
        return symbol;
    }
}
