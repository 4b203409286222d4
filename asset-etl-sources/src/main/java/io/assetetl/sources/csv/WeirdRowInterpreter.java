package io.assetetl.sources.csv;

import io.assetetl.model.Interpretation;
import io.assetetl.model.RawRecord;
import io.assetetl.model.RejectReason;
import io.assetetl.model.Rejection;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;

/**
 * The rules of the messy {@code csv_weird} format: cells go through the {@link ValueCleaner}; a ticker may be
 * written inside the name ({@code Bitcoin (BTC)}); ambiguous values and negative prices are rejects.
 *
 * <p>An observation's symbol is the ticker read from the row ({@code SHIB}), and its symbol as written
 * ({@link io.assetetl.model.Observation#writtenSymbol()}), which the source stores, is what the file wrote for that
 * ticker ({@link ValueCleaner#writtenSymbol}): the symbol cell without the whitespace around it ({@code $SHIB}), or
 * the ticker in parentheses of a cell that writes a name with it ({@code TON} of {@code Toncoin (TON)}, in the
 * symbol column, or in the name column of a row without a symbol), or the bare ticker of a name column.
 */
final class WeirdRowInterpreter extends RowInterpreter {

    private final DateOrder dateOrder;
    private final DecimalMark decimalMark;
    private final ZoneId timeZone;

    WeirdRowInterpreter(DateOrder dateOrder, DecimalMark decimalMark, ZoneId timeZone) {
        this.dateOrder = dateOrder;
        this.decimalMark = decimalMark;
        this.timeZone = timeZone;
    }

    @Override
    boolean isAbsent(String cell) {
        return ValueCleaner.isAbsent(cell);
    }

    @Override
    Cleaned<Instant> parseTimestamp(String cell) {
        return TimestampCleaner.clean(cell, dateOrder, timeZone);
    }

    @Override
    Cleaned<BigDecimal> number(String cell) {
        return ValueCleaner.number(cell, decimalMark);
    }

    @Override
    Interpretation interpret(CsvRow row, RawRecord raw) {
        if (row.problem() != null) {
            return Rejection.of(RejectReason.UNPARSEABLE_ROW, row.problem(), raw);
        }
        ValueCleaner.NameAndSymbol name = ValueCleaner.name(row.name());
        Cleaned<String> symbol = ValueCleaner.symbol(row.symbol());
        boolean fromSymbolCell = true;
        boolean markerTicker = symbol.isAbsent() && ValueCleaner.isTickerMarker(row.symbol(), name.name());
        if (markerTicker) {
            // NIL of Nillion: the cell is the ticker, not a null marker
            symbol = Cleaned.of(row.symbol().strip());
        } else if (symbol.isAbsent() && name.symbol() != null) {
            symbol = Cleaned.of(name.symbol());
            fromSymbolCell = false;
        } else if (row.symbol() == null && ValueCleaner.isBareTicker(row.name())) {
            // no symbol column, and the name column holds tickers (a column headed asset or coin)
            symbol = Cleaned.of(row.name().strip());
            name = new ValueCleaner.NameAndSymbol(null, symbol.value());
            fromSymbolCell = false;
        }
        if (symbol.isAbsent()) {
            return Rejection.of(RejectReason.MISSING_SYMBOL, row.symbol() == null && row.name() != null
                    ? "no symbol column, and the name is no ticker nor has one in parentheses" : "symbol is empty",
                    raw);
        }
        if (symbol.hasProblem()) {
            return Rejection.of(RejectReason.INVALID_SYMBOL, "symbol is " + symbol.detail(), raw);
        }
        // a ticker taken from the name column is written as it is read
        String written = markerTicker ? symbol.value()
                : fromSymbolCell ? ValueCleaner.writtenSymbol(row.symbol()) : symbol.value();
        return observation(row, raw, symbol.value(), written, name.name());
    }
}
