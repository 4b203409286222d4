package io.assetetl.service.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.assetetl.query.AssetView;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** {@code GET /assets/{symbol}}: every source's latest record of one asset, and their consensus. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AssetDetail(String symbol, @Schema(nullable = true) String name, Consensus consensus,
        List<SourceRecord> sources) {

    /**
     * @param priceUsd            median of the sources' latest prices
     * @param divergenceThreshold share of the median beyond which a source is divergent
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Consensus(BigDecimal priceUsd, BigDecimal divergenceThreshold, List<String> divergentSources) {
    }

    /**
     * @param symbol    the symbol as the source wrote it
     * @param runId     the run that wrote this value
     * @param divergent whether this price differs from the consensus by more than the threshold
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SourceRecord(String source, String sourceKey, String symbol, @Schema(nullable = true) String name,
            BigDecimal priceUsd, @Schema(nullable = true) BigDecimal marketCapUsd,
            @Schema(nullable = true) @JsonProperty("volume_24h_usd") BigDecimal volume24hUsd, Instant observedAt,
            UUID runId, Instant updatedAt, boolean divergent) {
    }

    public static AssetDetail from(AssetView asset, BigDecimal threshold) {
        List<String> divergent = asset.consensus().divergent();
        List<SourceRecord> sources = asset.sources().stream()
                .map(s -> new SourceRecord(s.source(), s.sourceKey(), s.sourceSymbol(), s.name(), s.priceUsd(),
                        s.marketCapUsd(), s.volume24hUsd(), s.observedAt(), s.runId(), s.updatedAt(),
                        divergent.contains(s.source())))
                .toList();
        return new AssetDetail(asset.symbol(), asset.name(),
                new Consensus(asset.consensus().medianPriceUsd(), threshold, divergent), sources);
    }
}
