package io.assetetl.sources.csv;

import io.assetetl.model.Interpretation;
import io.assetetl.model.Observation;
import io.assetetl.model.RawRecord;
import io.assetetl.model.RejectReason;
import io.assetetl.model.Rejection;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Turns the cells of a row into an observation or a rejection. The same instance serves reading and
 * {@code reprocess}, so both give the same result for the same cells. Not thread-safe (it caches the last
 * timestamp it parsed: files repeat them row after row).
 */
abstract class RowInterpreter {

    private String lastTimestampCell;
    private Cleaned<Instant> lastTimestamp;

    /** Whether a timestamp cell holds nothing, so that the row needs the fallback instant. */
    abstract boolean isAbsent(String timestampCell);

    abstract Interpretation interpret(CsvRow row, RawRecord raw);

    /** Parses a timestamp cell that is not absent. */
    abstract Cleaned<Instant> parseTimestamp(String cell);

    /** Reads a number cell by this format's rules. */
    abstract Cleaned<BigDecimal> number(String cell);

    /**
     * The observation of a row whose symbol and name are settled: its price, amounts and time read by this format's
     * rules, or the rejection of the first of them that is wrong.
     *
     * @param symbol        the ticker read from the row, which the engine resolves
     * @param writtenSymbol the symbol as the row wrote it, which the source stores
     */
    final Interpretation observation(CsvRow row, RawRecord raw, String symbol, String writtenSymbol, String name) {
        Cleaned<BigDecimal> price = number(row.price());
        Rejection bad = priceProblem(price, raw);
        if (bad != null) {
            return bad;
        }
        Cleaned<BigDecimal> marketCap = number(row.marketCap());
        bad = nonNegative(marketCap, "market_cap_usd", raw);
        if (bad != null) {
            return bad;
        }
        Cleaned<BigDecimal> volume = number(row.volume24h());
        bad = nonNegative(volume, "volume_24h_usd", raw);
        if (bad != null) {
            return bad;
        }
        Cleaned<Instant> observedAt = observedAt(row);
        bad = timestampProblem(observedAt, raw);
        if (bad != null) {
            return bad;
        }
        return new Observation(symbol, null, name, price.value(), marketCap.value(), volume.value(),
                observedAt.value(), raw, writtenSymbol);
    }

    /**
     * When the row's values held: its timestamp cell, or the fallback instant stored with the row when the cell is
     * absent; a problem when neither gives an instant.
     */
    final Cleaned<Instant> observedAt(CsvRow row) {
        if (isAbsent(row.timestamp())) {
            if (row.observedAtFallback() == null) {
                return Cleaned.invalid("missing");
            }
            try {
                return Cleaned.of(Instant.parse(row.observedAtFallback()));
            } catch (DateTimeParseException e) {
                return Cleaned.invalid("fallback is not an instant: '" + row.observedAtFallback() + "'");
            }
        }
        if (!row.timestamp().equals(lastTimestampCell)) {
            lastTimestamp = parseTimestamp(row.timestamp());
            lastTimestampCell = row.timestamp();
        }
        return lastTimestamp;
    }

    /** The rejection for a timestamp with a problem, or {@code null} when it is fine. */
    static Rejection timestampProblem(Cleaned<Instant> value, RawRecord raw) {
        if (value.problem() == Cleaned.Problem.AMBIGUOUS) {
            return Rejection.of(RejectReason.AMBIGUOUS_VALUE, "timestamp " + value.detail(), raw);
        }
        if (value.hasProblem()) {
            return Rejection.of(RejectReason.INVALID_TIMESTAMP, "timestamp is " + value.detail(), raw);
        }
        return null;
    }

    /** The rejection for a number cell with a problem, or {@code null} when it is fine. */
    static Rejection numberProblem(Cleaned<?> value, String field, String reason, RawRecord raw) {
        if (value.problem() == Cleaned.Problem.AMBIGUOUS) {
            return Rejection.of(RejectReason.AMBIGUOUS_VALUE, field + " " + value.detail(), raw);
        }
        if (value.hasProblem()) {
            return Rejection.of(reason, field + " is " + value.detail(), raw);
        }
        return null;
    }

    /** The rejection for a price that is missing, unreadable or not positive, or {@code null} when it is fine. */
    static Rejection priceProblem(Cleaned<BigDecimal> price, RawRecord raw) {
        if (price.isAbsent()) {
            return Rejection.of(RejectReason.INVALID_PRICE, "price is missing", raw);
        }
        Rejection bad = numberProblem(price, "price", RejectReason.INVALID_PRICE, raw);
        if (bad == null && price.value().signum() <= 0) {
            return Rejection.of(RejectReason.INVALID_PRICE, "price must be positive: " + price.value().toPlainString(),
                    raw);
        }
        return bad;
    }

    /** The rejection for an optional amount that is unreadable or negative, or {@code null} when it is fine. */
    static Rejection nonNegative(Cleaned<BigDecimal> value, String field, RawRecord raw) {
        Rejection bad = numberProblem(value, field, RejectReason.INVALID_NUMBER, raw);
        if (bad == null && value.value() != null && value.value().signum() < 0) {
            return Rejection.of(RejectReason.INVALID_NUMBER, field + " must not be negative: "
                    + value.value().toPlainString(), raw);
        }
        return bad;
    }
}
