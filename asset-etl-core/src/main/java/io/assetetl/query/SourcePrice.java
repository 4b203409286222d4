package io.assetetl.query;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * One source's latest record of an asset (a row of {@code asset_sources}).
 *
 * @param sourceSymbol the symbol as the source wrote it
 * @param name         {@code null} when the source gives none
 * @param marketCapUsd {@code null} when the source gives none
 * @param volume24hUsd {@code null} when the source gives none
 * @param runId        the run that wrote this value (lineage)
 */
public record SourcePrice(
        String source,
        String sourceKey,
        String sourceSymbol,
        String name,
        BigDecimal priceUsd,
        BigDecimal marketCapUsd,
        BigDecimal volume24hUsd,
        Instant observedAt,
        UUID runId,
        Instant updatedAt) {
}
