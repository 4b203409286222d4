package io.assetetl.query;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * Which canonical assets a page lists. Every part is optional (empty, never null); present parts all apply.
 *
 * @param symbol   one asset's symbol, in any case and by its alias as {@link AssetQueries#find} reads it
 * @param source   only assets that this source reports
 * @param minPrice only assets whose consensus (median) price is at least this
 * @param maxPrice only assets whose consensus (median) price is at most this
 */
public record AssetFilter(Optional<String> symbol, Optional<String> source, Optional<BigDecimal> minPrice,
        Optional<BigDecimal> maxPrice) {

    /** @throws NullPointerException when a part is null rather than empty, naming it */
    public AssetFilter {
        requireNonNull(symbol, "symbol is null (Optional.empty() for any symbol)");
        requireNonNull(source, "source is null (Optional.empty() for any source)");
        requireNonNull(minPrice, "minPrice is null (Optional.empty() for no lower bound)");
        requireNonNull(maxPrice, "maxPrice is null (Optional.empty() for no upper bound)");
    }

    public static final AssetFilter ALL = new AssetFilter(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty());

    public AssetFilter withSymbol(String symbol) {
        return new AssetFilter(Optional.of(symbol), source, minPrice, maxPrice);
    }

    public AssetFilter withSource(String sourceName) {
        return new AssetFilter(symbol, Optional.of(sourceName), minPrice, maxPrice);
    }

    public AssetFilter withMinPrice(BigDecimal price) {
        return new AssetFilter(symbol, source, Optional.of(price), maxPrice);
    }

    public AssetFilter withMaxPrice(BigDecimal price) {
        return new AssetFilter(symbol, source, minPrice, Optional.of(price));
    }
}
