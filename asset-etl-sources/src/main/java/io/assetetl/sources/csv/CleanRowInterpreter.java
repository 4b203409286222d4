package io.assetetl.sources.csv;

import io.assetetl.model.Interpretation;
import io.assetetl.model.Observation;
import io.assetetl.model.RawRecord;
import io.assetetl.model.RejectReason;
import io.assetetl.model.Rejection;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * The rules of the clean {@code csv} format: plain decimal numbers, a ticker as symbol, ISO-8601 (or epoch)
 * timestamps. Anything else in a cell is a reject, never a guess.
 */
final class CleanRowInterpreter extends RowInterpreter {

    @Override
    boolean isAbsent(String cell) {
        return cell == null || cell.isBlank();
    }

    @Override
    Cleaned<Instant> parseTimestamp(String cell) {
        return TimestampCleaner.clean(cell, DateOrder.UNSPECIFIED);
    }

    @Override
    Interpretation interpret(CsvRow row, RawRecord raw) {
        if (row.problem() != null) {
            return Rejection.of(RejectReason.UNPARSEABLE_ROW, row.problem(), raw);
        }
        String symbol = row.symbol() == null ? "" : row.symbol().strip();
        if (symbol.isEmpty()) {
            return Rejection.of(RejectReason.MISSING_SYMBOL, "symbol is empty", raw);
        }
        if (!ValueCleaner.isTicker(symbol)) {
            return Rejection.of(INVALID_SYMBOL, "symbol is not a ticker: '" + ValueCleaner.abbreviate(symbol) + "'",
                    raw);
        }
        Cleaned<BigDecimal> price = ValueCleaner.plainNumber(row.price());
        Rejection bad = priceProblem(price, raw);
        if (bad != null) {
            return bad;
        }
        Cleaned<BigDecimal> marketCap = ValueCleaner.plainNumber(row.marketCap());
        bad = nonNegative(marketCap, "market_cap_usd", raw);
        if (bad != null) {
            return bad;
        }
        Cleaned<BigDecimal> volume = ValueCleaner.plainNumber(row.volume24h());
        bad = nonNegative(volume, "volume_24h_usd", raw);
        if (bad != null) {
            return bad;
        }
        Cleaned<Instant> observedAt = observedAt(row);
        bad = timestampProblem(observedAt, raw);
        if (bad != null) {
            return bad;
        }
        String name = row.name() == null || row.name().isBlank() ? null : row.name().strip();
        return new Observation(symbol, null, name, price.value(), marketCap.value(), volume.value(),
                observedAt.value(), raw);
    }
}
