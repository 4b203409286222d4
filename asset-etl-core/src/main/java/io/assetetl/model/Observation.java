package io.assetetl.model;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A source's statement about one asset at one instant, before identity resolution.
 *
 * <p>Only {@code sourceSymbol}, {@code priceUsd}, {@code observedAt} and {@code raw} are required. Adapters hand
 * out observations whose values they parsed; the engine still re-checks them (a non-positive price never reaches a
 * canonical table, nor a time outside the years 1 to 9999) and resolves the symbol to its canonical asset.
 *
 * @param sourceSymbol  the symbol as the source wrote it ({@code btc}, {@code XBT}); never null or blank
 * @param sourceId      the source's stable id of the asset ({@code bitcoin} on CoinGecko), or {@code null} for
 *                      sources keyed by symbol; when present it is the {@code source_key} and takes part in
 *                      identity resolution
 * @param name          display name, or {@code null}
 * @param priceUsd      price in USD, positive
 * @param marketCapUsd  market capitalisation in USD, or {@code null}
 * @param volume24hUsd  24-hour traded volume in USD, or {@code null}
 * @param observedAt    when the source says the values held
 * @param raw           the input record this observation was parsed from
 */
public record Observation(
        String sourceSymbol,
        String sourceId,
        String name,
        BigDecimal priceUsd,
        BigDecimal marketCapUsd,
        BigDecimal volume24hUsd,
        Instant observedAt,
        RawRecord raw) implements Interpretation {

    /** The times an observation may have: the years 1 to 9999, which ISO-8601 writes with four digits. */
    private static final Instant FIRST_TIME = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant PAST_LAST_TIME = Instant.parse("+10000-01-01T00:00:00Z");

    /** Whether {@code time} lies in the years 1 to 9999, the range a stored observation's time has. */
    public static boolean inStoredYears(Instant time) {
        return !time.isBefore(FIRST_TIME) && time.isBefore(PAST_LAST_TIME);
    }

    public Observation {
        requireNonNull(sourceSymbol, "sourceSymbol is null");
        requireNonNull(priceUsd, "priceUsd is null");
        requireNonNull(observedAt, "observedAt is null");
        requireNonNull(raw, "raw is null");
        if (sourceSymbol.isBlank()) {
            throw new IllegalArgumentException("sourceSymbol is blank");
        }
    }
}
