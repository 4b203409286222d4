package io.assetetl.model;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A source's statement about one asset at one instant, before identity resolution.
 *
 * <p>Only {@code priceUsd}, {@code observedAt} and {@code raw} are required. Adapters hand out observations whose
 * values they parsed; the engine still re-checks them (an observation without a symbol, a non-positive price or a
 * time outside the years 1 to 9999 never reaches a canonical table: each is rejected with its reason) and resolves
 * the symbol to its canonical asset.
 *
 * <p>{@code observedAt} is kept to the microsecond, as PostgreSQL stores it (a finer fraction is rounded, as
 * PostgreSQL rounds it): two observations that differ by less are of the same instant.
 *
 * <p>An observation has its symbol twice: as the adapter resolved it ({@code sourceSymbol}), which identity
 * resolution reads, and as the source wrote it ({@code writtenSymbol}), which {@code asset_sources.source_symbol}
 * stores and the API shows. The two differ when an adapter cleans a cell into a ticker: a file's {@code $SHIB} is
 * resolved as {@code SHIB}, and stays {@code $SHIB} as written. An adapter that takes its symbols as given (a
 * CoinGecko item's {@code btc}) uses the constructor without a written symbol, which makes it the resolved one.
 * The engine stores the written symbol without surrounding whitespace, and holds it to the rules of a symbol it
 * resolves: an observation whose written symbol is empty, longer than any ticker, or holds a control character or
 * half of a surrogate pair is rejected ({@code missing_symbol}, {@code invalid_symbol}), as one whose resolved
 * symbol is would be.
 *
 * @param sourceSymbol  the symbol as the adapter resolved it ({@code btc}, {@code XBT}), which the engine trims,
 *                      upper-cases and maps through aliases into the canonical symbol; null or blank when the source
 *                      gave none, which the engine rejects as {@code missing_symbol}
 * @param sourceId      the source's stable id of the asset ({@code bitcoin} on CoinGecko), or {@code null} for
 *                      sources keyed by symbol; when present it is the {@code source_key} and takes part in
 *                      identity resolution; the engine rejects one that is blank or holds a NUL or half a surrogate
 *                      pair as {@code invalid_id}
 * @param name          display name, or {@code null}
 * @param priceUsd      price in USD, positive
 * @param marketCapUsd  market capitalisation in USD, or {@code null}
 * @param volume24hUsd  24-hour traded volume in USD, or {@code null}
 * @param observedAt    when the source says the values held
 * @param raw           the input record this observation was parsed from
 * @param writtenSymbol the symbol as the source wrote it ({@code $SHIB}, {@code btc}), stored as the source's
 *                      symbol; {@code null} given to the constructor means the same as {@code sourceSymbol}, so
 *                      that this is {@code null} only when {@code sourceSymbol} is
 */
public record Observation(
        String sourceSymbol,
        String sourceId,
        String name,
        BigDecimal priceUsd,
        BigDecimal marketCapUsd,
        BigDecimal volume24hUsd,
        Instant observedAt,
        RawRecord raw,
        String writtenSymbol) implements Interpretation {

    /** The times an observation may have: the years 1 to 9999, which ISO-8601 writes with four digits. */
    private static final Instant FIRST_TIME = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant PAST_LAST_TIME = Instant.parse("+10000-01-01T00:00:00Z");

    /** Whether {@code time} lies in the years 1 to 9999, the range a stored observation's time has. */
    public static boolean inStoredYears(Instant time) {
        return !time.isBefore(FIRST_TIME) && time.isBefore(PAST_LAST_TIME);
    }

    public Observation {
        requireNonNull(priceUsd, "priceUsd is null");
        requireNonNull(observedAt, "observedAt is null");
        requireNonNull(raw, "raw is null");
        observedAt = toMicros(observedAt);
        if (writtenSymbol == null) {
            writtenSymbol = sourceSymbol;
        }
    }

    /**
     * An observation whose symbol is stored as the adapter resolved it: its written symbol is {@code sourceSymbol}.
     * This was the canonical constructor before observations had a written symbol, and stays for the adapters
     * that take their symbols as given.
     */
    public Observation(String sourceSymbol, String sourceId, String name, BigDecimal priceUsd,
            BigDecimal marketCapUsd, BigDecimal volume24hUsd, Instant observedAt, RawRecord raw) {
        this(sourceSymbol, sourceId, name, priceUsd, marketCapUsd, volume24hUsd, observedAt, raw, null);
    }

    /**
     * {@code time} rounded to the microsecond as PostgreSQL rounds the text of a finer one: the fraction's nearest
     * double, rounded half to even (which is also what the price history's binary {@code COPY} writes).
     */
    public static Instant toMicros(Instant time) {
        int nanos = time.getNano();
        if (nanos % 1000 == 0) {
            return time;
        }
        long micros = (long) Math.rint(nanos / 1e9 * 1e6);
        if (micros == 1_000_000 && time.getEpochSecond() == Instant.MAX.getEpochSecond()) {
            return time.truncatedTo(ChronoUnit.MICROS); // no later instant to round to; far outside the stored years
        }
        return Instant.ofEpochSecond(time.getEpochSecond(), micros * 1000);
    }
}
