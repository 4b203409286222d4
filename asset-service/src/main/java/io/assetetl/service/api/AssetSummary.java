package io.assetetl.service.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.assetetl.query.AssetView;
import io.assetetl.query.SourcePrice;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One canonical asset in a list.
 *
 * @param priceUsd         the consensus: median of the sources' latest prices
 * @param observedAt       the newest observation among the sources
 * @param divergentSources sources whose price differs from the consensus by more than the threshold
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AssetSummary(String symbol, String name, BigDecimal priceUsd, Instant observedAt,
        List<SourceQuote> sources, List<String> divergentSources) {

    /** @param symbol the symbol as this source wrote it */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SourceQuote(String source, String symbol, BigDecimal priceUsd, Instant observedAt) {
    }

    /** The contract's column name for the same value, so that {@code assets} and {@code /data} read alike. */
    @com.fasterxml.jackson.annotation.JsonProperty("canonical_symbol")
    public String canonicalSymbol() {
        return symbol;
    }

    public static AssetSummary from(AssetView asset) {
        List<SourceQuote> sources = asset.sources().stream()
                .map(s -> new SourceQuote(s.source(), s.sourceSymbol(), s.priceUsd(), s.observedAt()))
                .toList();
        Instant newest = asset.sources().stream().map(SourcePrice::observedAt).filter(Objects::nonNull)
                .max(Comparator.naturalOrder()).orElse(null);
        return new AssetSummary(asset.symbol(), asset.name(), asset.consensus().medianPriceUsd(), newest, sources,
                asset.consensus().divergent());
    }
}
