package io.assetetl.query;

import static java.util.Objects.requireNonNull;

import io.assetetl.model.Consensus;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A canonical asset with every source's latest record and their consensus.
 *
 * @param name      the asset's name, or {@code null} when no source gave one
 * @param sources   sorted by source name; never empty for a listed asset
 * @param consensus the median of the sources' prices and the sources that diverge from it
 */
public record AssetView(String symbol, String name, List<SourcePrice> sources, Consensus consensus) {

    public AssetView {
        requireNonNull(symbol, "symbol is null");
        sources = List.copyOf(sources);
        requireNonNull(consensus, "consensus is null");
    }

    static AssetView of(String symbol, String name, List<SourcePrice> sources, BigDecimal divergenceThreshold) {
        Map<String, BigDecimal> prices = new LinkedHashMap<>();
        sources.forEach(s -> prices.put(s.source(), s.priceUsd()));
        return new AssetView(symbol, name, sources, Consensus.of(prices, divergenceThreshold));
    }
}
