package io.assetetl.sources.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ValueCleanerTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            43250.10             | 43250.10
            $43,250.10           | 43250.10
            98.7 USD             | 98.7
            USD 98.7             | 98.7
            US$ 12               | 12
            2 310,55 $           | 2310.55
            2\u00a0310,55        | 2310.55
            1.234.567,89         | 1234567.89
            1,234,567.89         | 1234567.89
            1'234'567            | 1234567
            87,000               | 87000
            $87,000              | 87000
            0,52                 | 0.52
            1234,5               | 1234.5
            20,91                | 20.91
            $1.7T                | 1700000000000
            1.7t                 | 1700000000000
            600B                 | 600000000000
            21,4 B               | 21400000000
            389M                 | 389000000
            1.5 bn               | 1500000000
            2.5 million          | 2500000
            12K                  | 12000
            1.28e9               | 1280000000
            1.5E+3               | 1500
            2.5e-3               | 0.0025
            .5                   | 0.5
            -5                   | -5
            -$5.25               | -5.25
            (12.50)              | -12.50
            +7                   | 7
            0.00002135           | 0.00002135
            """)
    void cleansNumbersAsPeopleWriteThem(String cell, BigDecimal expected) {
        Cleaned<BigDecimal> cleaned = ValueCleaner.number(cell);

        assertThat(cleaned.hasProblem()).as(cleaned.detail()).isFalse();
        assertThat(cleaned.value()).isEqualByComparingTo(expected);
    }

    @ParameterizedTest(name = "{0} with a decimal {1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            2.310                | COMMA | 2310
            87.000,50            | COMMA | 87000.50
            1.234.567            | COMMA | 1234567
            87,000               | COMMA | 87.000
            0,45                 | COMMA | 0.45
            2 310,55 $           | COMMA | 2310.55
            1,5 B                | COMMA | 1500000000
            600                  | COMMA | 600
            2.310                | POINT | 2.310
            87,000               | POINT | 87000
            1,234,567.89         | POINT | 1234567.89
            2,310                | POINT | 2310
            $1.7T                | POINT | 1700000000000
            """)
    void readsNumbersThatReadTwoWaysWithTheConfiguredDecimalMark(String cell, DecimalMark mark, BigDecimal expected) {
        Cleaned<BigDecimal> cleaned = ValueCleaner.number(cell, mark);

        assertThat(cleaned.hasProblem()).as(cleaned.detail()).isFalse();
        assertThat(cleaned.value()).isEqualByComparingTo(expected);
    }

    @ParameterizedTest(name = "{0} with a decimal {1}")
    @CsvSource(delimiter = '|', textBlock = """
            43.5          | COMMA
            1,234.56      | COMMA
            1,2,3         | COMMA
            1.2345        | COMMA
            0,52          | POINT
            1.234,56      | POINT
            1.2.3         | POINT
            """)
    void rejectsANumberThatDoesNotFollowTheConfiguredDecimalMark(String cell, DecimalMark mark) {
        assertThat(ValueCleaner.number(cell, mark).problem()).isEqualTo(Cleaned.Problem.INVALID);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "N/A", "n/a", "NA", "-", "--", "null", "NULL", "None", "NaN", "#N/A", "?"})
    @NullSource
    void treatsNullMarkersAsAbsent(String cell) {
        assertThat(ValueCleaner.number(cell).isAbsent()).isTrue();
        assertThat(TimestampCleaner.clean(cell, DateOrder.UNSPECIFIED).isAbsent()).isTrue();
        assertThat(ValueCleaner.symbol(cell).isAbsent()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "<none>", textBlock = """
            NIL     | Nillion     | true
            nil     | nillion     | true
            ' NULL' | Null Matrix | true
            null    | NullTrace   | true
            NULL    | Bitcoin     | false
            nil     | <none>      | false
            None    | Nonecoin    | false
            N/A     | Nano        | false
            NA      | Namecoin    | false
            <none>  | Nillion     | false
            """)
    void aMarkerThatListedCoinsHaveAsTickerIsTheTickerOfARowWhoseNameBeginsWithIt(String symbol, String name,
            boolean ticker) {
        assertThat(ValueCleaner.isTickerMarker(symbol, name)).isEqualTo(ticker);
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "12abc", "1,2,3", "1.2.3,4.5", "12,34,5", "1e", "1e99999", "1e400", "€5", "5%",
        "Infinity", "0x1F", "1 2", "$", "1..2", "--5"})
    void rejectsWhatIsNotANumber(String cell) {
        Cleaned<BigDecimal> cleaned = ValueCleaner.number(cell);

        assertThat(cleaned.problem()).isEqualTo(Cleaned.Problem.INVALID);
        assertThat(cleaned.detail()).isNotBlank();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e31", "1e400", "0.0000000000000000000000000000000000000000000000000000000000000001"})
    void saysANumberBeyondItsDigitsIsOutOfRangeInWordsThatFollowTheFieldsName(String cell) {
        Cleaned<BigDecimal> cleaned = ValueCleaner.number(cell);

        // a reject's detail reads "price is a number out of range: '1e31'"
        assertThat(cleaned.detail()).startsWith("a number out of range: '");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            43250.5   | 43250.5
            1.7E12    | 1700000000000
            -3        | -3
            +3        | 3
            """)
    void readsPlainNumbersOfTheCleanFormat(String cell, BigDecimal expected) {
        assertThat(ValueCleaner.plainNumber(cell).value()).isEqualByComparingTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0.10                 | 0.10
            6174.42855864        | 6174.42855864
            -857300763862.01     | -857300763862.01
            5                    | 5
            1234567890123456789  | 1234567890123456789
            1.7E12               | 1700000000000
            2.50e-3              | 0.00250
            """)
    void plainNumbersKeepTheScaleTheyWereWrittenWith(String cell, String expected) {
        assertThat(ValueCleaner.plainNumber(cell).value()).isEqualTo(new BigDecimal(expected))
                .hasScaleOf(new BigDecimal(expected).scale());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-0", "-0.00", "6174.42855864", "1.50", "0.000001", "999999999999999999",
        "99999999999999999.9", "-857300763862.01"})
    void readsTheCommonShapeExactlyAsBigDecimalDoes(String cell) {
        BigDecimal exact = new BigDecimal(cell);
        assertThat(ValueCleaner.simpleDecimal(cell)).isEqualTo(exact).hasScaleOf(exact.scale());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1234567890123456789", "5.", ".5", "-.5", "1.2.", "--1", "-", "", "+3", "1.7E12"})
    void leavesEveryOtherShapeToBigDecimal(String cell) {
        assertThat(ValueCleaner.simpleDecimal(cell)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"$5", "1,000", "5 USD", "NaN", "1e999999", "1.2.3", "abc"})
    void rejectsAnythingButPlainNumbersInTheCleanFormat(String cell) {
        assertThat(ValueCleaner.plainNumber(cell).problem()).isEqualTo(Cleaned.Problem.INVALID);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            2024-01-15T10:30:00Z           | 2024-01-15T10:30:00Z
            2024-01-15T10:30:00.703Z       | 2024-01-15T10:30:00.703Z
            2025-12-24T10:00:00+00:00      | 2025-12-24T10:00:00Z
            2024-01-15T13:30:00+03:00      | 2024-01-15T10:30:00Z
            2024-01-15T05:30:00-0500       | 2024-01-15T10:30:00Z
            2024-01-15T12:30:00+02         | 2024-01-15T10:30:00Z
            2024-01-15T10:30:00            | 2024-01-15T10:30:00Z
            2024-01-15T10:30               | 2024-01-15T10:30:00Z
            2024-01-15 10:30:00            | 2024-01-15T10:30:00Z
            2024-01-15 10:30:00 UTC        | 2024-01-15T10:30:00Z
            2024-01-15                     | 2024-01-15T00:00:00Z
            2024/01/15                     | 2024-01-15T00:00:00Z
            20240115                       | 2024-01-15T00:00:00Z
            1705314600                     | 2024-01-15T10:30:00Z
            1705314600.5                   | 2024-01-15T10:30:00.500Z
            1705314600000                  | 2024-01-15T10:30:00Z
            1705314600123                  | 2024-01-15T10:30:00.123Z
            15/01/2024                     | 2024-01-15T00:00:00Z
            01/15/2024                     | 2024-01-15T00:00:00Z
            15.01.2024 10:30               | 2024-01-15T10:30:00Z
            15-01-2024 10:30:05            | 2024-01-15T10:30:05Z
            05/05/2024                     | 2024-05-05T00:00:00Z
            """)
    void readsTimestampsInTheirManyShapesAsUtcInstants(String cell, Instant expected) {
        Cleaned<Instant> cleaned = TimestampCleaner.clean(cell, DateOrder.UNSPECIFIED);

        assertThat(cleaned.hasProblem()).as(cleaned.detail()).isFalse();
        assertThat(cleaned.value()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"01/02/2024", "1/2/2024", "03.04.2024 10:00"})
    void rejectsDatesThatReadTwoWaysUnlessTheOrderIsConfigured(String cell) {
        Cleaned<Instant> unconfigured = TimestampCleaner.clean(cell, DateOrder.UNSPECIFIED);

        assertThat(unconfigured.problem()).isEqualTo(Cleaned.Problem.AMBIGUOUS);
        assertThat(unconfigured.detail()).contains("date_order");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            01/02/2024 | DMY | 2024-02-01T00:00:00Z
            01/02/2024 | MDY | 2024-01-02T00:00:00Z
            """)
    void readsAmbiguousDatesInTheConfiguredOrder(String cell, DateOrder order, Instant expected) {
        assertThat(TimestampCleaner.clean(cell, order).value()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2024-13-01", "2024-02-30", "31/31/2024", "12345", "99999999999999",
        "2024-01-15T25:00:00Z", "15 Jan"})
    void rejectsWhatIsNotATimestamp(String cell) {
        assertThat(TimestampCleaner.clean(cell, DateOrder.DMY).problem()).isEqualTo(Cleaned.Problem.INVALID);
    }

    @Test
    void aDateTheConfiguredOrderCannotReadIsRefusedAsAMisreadNumberIs() {
        assertThat(TimestampCleaner.clean("01/13/2025", DateOrder.MDY).value())
                .isEqualTo(Instant.parse("2025-01-13T00:00:00Z"));
        assertThat(TimestampCleaner.clean("13/01/2025", DateOrder.MDY).detail())
                .isEqualTo("'13/01/2025' is not month/day/year, the date_order set for this source");
        assertThat(TimestampCleaner.clean("01/13/2025", DateOrder.DMY).problem()).isEqualTo(Cleaned.Problem.INVALID);
        assertThat(TimestampCleaner.clean("13/01/2025", DateOrder.UNSPECIFIED).value())
                .as("with no order set, the one reading there is").isEqualTo(Instant.parse("2025-01-13T00:00:00Z"));
    }

    @ParameterizedTest(name = "{0} in Europe/Berlin -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            2025-01-15T10:30:00        | 2025-01-15T09:30:00Z
            2025-07-15 10:30           | 2025-07-15T08:30:00Z
            2025-07-15                 | 2025-07-14T22:00:00Z
            20250715                   | 2025-07-14T22:00:00Z
            15/07/2025 10:30           | 2025-07-15T08:30:00Z
            2025-07-15T10:30:00Z       | 2025-07-15T10:30:00Z
            2025-07-15T10:30:00+05:30  | 2025-07-15T05:00:00Z
            2025-07-15 10:30 UTC       | 2025-07-15T10:30:00Z
            1736933400                 | 2025-01-15T09:30:00Z
            """)
    void readsTimesWithoutAnOffsetInTheConfiguredZoneAndLeavesTheOthersAsWritten(String cell, Instant expected) {
        assertThat(TimestampCleaner.clean(cell, DateOrder.DMY, ZoneId.of("Europe/Berlin")).value())
                .isEqualTo(expected);
    }

    @Test
    void aDateAloneIsTheStartOfItsDayAlsoWhereTheClocksSkipMidnight() {
        ZoneId santiago = ZoneId.of("America/Santiago");
        ZoneId beirut = ZoneId.of("Asia/Beirut");

        assertThat(TimestampCleaner.clean("2023-09-03", DateOrder.UNSPECIFIED, santiago).value())
                .isEqualTo(Instant.parse("2023-09-03T04:00:00Z"));
        assertThat(TimestampCleaner.clean("31/03/2024", DateOrder.DMY, beirut).value())
                .isEqualTo(Instant.parse("2024-03-30T22:00:00Z"));
        assertThat(TimestampCleaner.clean("20240331", DateOrder.UNSPECIFIED, beirut).value())
                .isEqualTo(Instant.parse("2024-03-30T22:00:00Z"));
        assertThat(TimestampCleaner.clean("2023-09-03 00:30", DateOrder.UNSPECIFIED, santiago).problem())
                .as("a time the clocks skipped, written out").isEqualTo(Cleaned.Problem.INVALID);
    }

    @Test
    void refusesLocalTimesTheZonesClocksSkippedOrShowedTwice() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        Cleaned<Instant> skipped = TimestampCleaner.clean("2025-03-30 02:30", DateOrder.UNSPECIFIED, berlin);
        Cleaned<Instant> twice = TimestampCleaner.clean("2025-10-26 02:30", DateOrder.UNSPECIFIED, berlin);

        assertThat(skipped.problem()).isEqualTo(Cleaned.Problem.INVALID);
        assertThat(skipped.detail()).isEqualTo("'2025-03-30 02:30', a time the clocks of Europe/Berlin skipped;"
                + " write it with its offset");
        assertThat(twice.problem()).isEqualTo(Cleaned.Problem.AMBIGUOUS);
        assertThat(twice.detail()).isEqualTo("'2025-10-26 02:30' is a time the clocks of Europe/Berlin showed"
                + " twice (+02:00 and +01:00); write it with its offset");
        assertThat(TimestampCleaner.clean("2025-10-26 02:30+01:00", DateOrder.UNSPECIFIED, berlin).value())
                .isEqualTo(Instant.parse("2025-10-26T01:30:00Z"));
        assertThat(TimestampCleaner.clean("2025-03-30 02:30", DateOrder.UNSPECIFIED, ZoneOffset.ofHours(1))
                .value()).as("an offset has no such days").isEqualTo(Instant.parse("2025-03-30T01:30:00Z"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            BTC             | BTC
            btc             | btc
            ' eth '         | eth
            $BTC            | BTC
            Bitcoin (BTC)   | BTC
            figr_heloc      | figr_heloc
            bsc-usd         | bsc-usd
            USDC.e          | USDC.e
            """)
    void readsTickersAsWrittenWithoutTheirDecoration(String cell, String expected) {
        assertThat(ValueCleaner.symbol(cell).value()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            BTC                 | BTC
            ' Btc '             | Btc
            $SHIB               | $SHIB
            ' $shib '           | $shib
            Toncoin (TON)       | TON
            ' Bitcoin ( BTC ) ' | BTC
            figr_heloc          | figr_heloc
            """)
    void keepsTheSymbolAsWrittenWithoutSurroundingSpaceOrTheNameItIsWrittenIn(String cell, String expected) {
        assertThat(ValueCleaner.writtenSymbol(cell)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "N/A", "-"})
    @NullSource
    void anAbsentSymbolCellHasNoSymbolAsWritten(String cell) {
        assertThat(ValueCleaner.writtenSymbol(cell)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"BTC ETH", "BTC/USD", "\uFFFD", "ABCDEFGHIJKLMNOPQRSTUVWXYZ12345", "$"})
    void rejectsSymbolsThatAreNotTickers(String cell) {
        assertThat(ValueCleaner.symbol(cell).problem()).isEqualTo(Cleaned.Problem.INVALID);
    }

    @ParameterizedTest(name = "{0} -> {1} / {2}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            Bitcoin (BTC)                  | Bitcoin                       | BTC
            Polygon (MATIC)                | Polygon                       | MATIC
            Bitcoin                        | Bitcoin                       | null
            Bitcoin Trading Volume (24h)   | Bitcoin Trading Volume (24h)  | null
            Wrapped Bitcoin (wbtc)         | Wrapped Bitcoin (wbtc)        | null
            (BTC)                          | (BTC)                         | null
            """)
    void splitsTheTickerOutOfANameOnlyWhenItIsOne(String cell, String name, String symbol) {
        ValueCleaner.NameAndSymbol parts = ValueCleaner.name(cell);

        assertThat(parts.name()).isEqualTo(name);
        assertThat(parts.symbol()).isEqualTo(symbol);
    }
}
