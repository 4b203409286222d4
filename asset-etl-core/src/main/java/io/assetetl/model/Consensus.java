package io.assetetl.model;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agreed price of one asset: the median of its sources' latest prices, and the sources whose price differs
 * from that median by more than a share of it.
 *
 * @param medianPriceUsd the median price, or {@code null} when no source has a price
 * @param divergent      names of the sources whose price is off by more than the threshold, sorted
 */
public record Consensus(BigDecimal medianPriceUsd, List<String> divergent) {

    /** The default share of the median a source may differ by: 5%. */
    public static final BigDecimal DEFAULT_THRESHOLD = new BigDecimal("0.05");

    private static final BigDecimal HALF = new BigDecimal("0.5");

    public Consensus {
        divergent = List.copyOf(divergent);
    }

    public Optional<BigDecimal> median() {
        return Optional.ofNullable(medianPriceUsd);
    }

    /**
     * Computes the consensus of {@code pricesBySource} (source name → latest price).
     *
     * @param threshold the share of the median beyond which a source is divergent, e.g. {@code 0.05}
     */
    public static Consensus of(Map<String, BigDecimal> pricesBySource, BigDecimal threshold) {
        requireNonNull(pricesBySource, "pricesBySource is null");
        requireNonNull(threshold, "threshold is null");
        List<BigDecimal> prices = pricesBySource.values().stream()
                .filter(p -> p != null && p.signum() > 0)
                .sorted()
                .toList();
        if (prices.isEmpty()) {
            return new Consensus(null, List.of());
        }
        int n = prices.size();
        BigDecimal median = n % 2 == 1
                ? prices.get(n / 2)
                : prices.get(n / 2 - 1).add(prices.get(n / 2)).multiply(HALF); // exact, as in SQL
        BigDecimal tolerance = median.multiply(threshold);
        List<String> divergent = pricesBySource.entrySet().stream()
                .filter(e -> e.getValue() != null && e.getValue().subtract(median).abs().compareTo(tolerance) > 0)
                .map(Map.Entry::getKey)
                .sorted(Comparator.naturalOrder())
                .toList();
        return new Consensus(median.stripTrailingZeros().setScale(Math.max(0, median.stripTrailingZeros().scale()),
                RoundingMode.UNNECESSARY), divergent);
    }
}
