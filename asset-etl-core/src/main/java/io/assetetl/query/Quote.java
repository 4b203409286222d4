package io.assetetl.query;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** One point of an asset's price history (a row of {@code asset_quotes}). */
public record Quote(String source, Instant observedAt, BigDecimal priceUsd, BigDecimal marketCapUsd,
        BigDecimal volume24hUsd, UUID runId) {
}
