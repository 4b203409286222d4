package io.assetetl.sources.csv;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetetl.model.Interpretation;
import io.assetetl.model.Observation;
import io.assetetl.model.RawRecord;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * What {@code reprocess} makes of a stored CSV row: its payload as PostgreSQL returns it, keys in jsonb's order
 * (by length, then bytes), not the file's.
 */
class StoredRowReplayTest {

    private static final String SHA = "0".repeat(64);

    private final CsvSource csv = new CsvSource("csv", Path.of("unread.csv"), 10, 1 << 20, new CleanCsvFlavor(),
            Clock.systemUTC());
    private final CsvSource weird = new CsvSource("csv_weird", Path.of("unread.csv"), 10, 1 << 20,
            new WeirdCsvFlavor(WeirdCsvSourceConfig.DEFAULT_FUZZY_THRESHOLD, DateOrder.UNSPECIFIED,
                    DecimalMark.UNSPECIFIED, ZoneOffset.UTC), Clock.systemUTC());

    private static Observation observation(Interpretation interpretation) {
        assertThat(interpretation).isInstanceOf(Observation.class);
        return (Observation) interpretation;
    }

    @Test
    void aRowThatKeepsItsColumnOrderIsReadFromTheFirstColumnOfAFieldWrittenTwiceInAnyCase() {
        String payload = "{\"Price\": \"2\", \"price\": \"1\", \"SYMBOL\": \"BTC\", \"Symbol\": \"ETH\","
                + " \"timestamp\": \"2025-01-15T12:00:00Z\","
                + " \"_etl_columns\": [\"Symbol\", \"SYMBOL\", \"price\", \"Price\", \"timestamp\"]}";

        Observation read = observation(csv.interpret(new RawRecord.FileLine(SHA, 2, payload)));

        assertThat(read.sourceSymbol()).isEqualTo("ETH");
        assertThat(read.priceUsd()).isEqualByComparingTo("1");
    }

    @Test
    void aRowStoredWithoutItsColumnOrderIsReadFromItsKeysInSortOrderAsItWasWhenItWasStored() {
        // rows stored before the order was kept: the sort order is what their ingest read, so reprocess keeps it
        String payload = "{\"Price\": \"2\", \"price\": \"1\", \"SYMBOL\": \"BTC\", \"Symbol\": \"ETH\","
                + " \"timestamp\": \"2025-01-15T12:00:00Z\"}";

        Observation read = observation(csv.interpret(new RawRecord.FileLine(SHA, 2, payload)));

        assertThat(read.sourceSymbol()).isEqualTo("BTC");
        assertThat(read.priceUsd()).isEqualByComparingTo("2");
    }

    @Test
    void theWeirdFlavorReadsAStoredRowFromTheFirstColumnOfItsKeptOrderToo() {
        String payload = "{\"TICKER\": \"btc\", \"Ticker\": \"eth\", \"Price (USD)\": \"$3,321.09\","
                + " \"PRICE (USD)\": \"$96,512.40\", \"_etl_observed_at\": \"2025-01-15T12:05:00Z\","
                + " \"_etl_columns\": [\"Ticker\", \"TICKER\", \"Price (USD)\", \"PRICE (USD)\"]}";

        Observation read = observation(weird.interpret(new RawRecord.FileLine(SHA, 2, payload)));

        assertThat(read.sourceSymbol()).isEqualTo("eth");
        assertThat(read.priceUsd()).isEqualByComparingTo("3321.09");
    }
}
