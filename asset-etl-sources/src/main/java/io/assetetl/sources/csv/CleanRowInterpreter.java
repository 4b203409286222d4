package io.assetetl.sources.csv;

import io.assetetl.model.Interpretation;
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
    Cleaned<BigDecimal> number(String cell) {
        return ValueCleaner.plainNumber(cell);
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
            return Rejection.of(RejectReason.INVALID_SYMBOL,
                    "symbol is not a ticker: '" + ValueCleaner.abbreviate(symbol) + "'", raw);
        }
        String name = row.name() == null || row.name().isBlank() ? null : row.name().strip();
        // a ticker as written: the cell without the whitespace around it is both the symbol and its written form
        return observation(row, raw, symbol, symbol, name);
    }
}
