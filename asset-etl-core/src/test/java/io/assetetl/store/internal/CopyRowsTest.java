package io.assetetl.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CopyRowsTest {

    @Test
    void jsonTextKeepsWhatJsonbTakesAndEscapesTheReplacementCharacterForWhatItRefuses() {
        assertThat(CopyRows.jsonbText("{\"k\":\"plain\"}")).isEqualTo("{\"k\":\"plain\"}");
        assertThat(CopyRows.jsonbText("[\"\\u0000\"]")).isEqualTo("[\"\\uFFFD\"]");
        // a pair stays; half of one, alone or at the end, does not
        assertThat(CopyRows.jsonbText("[\"\\ud83d\\ude80\"]")).isEqualTo("[\"\\ud83d\\ude80\"]");
        assertThat(CopyRows.jsonbText("[\"Bad Coin \\ud83d\"]")).isEqualTo("[\"Bad Coin \\uFFFD\"]");
        assertThat(CopyRows.jsonbText("[\"\\ude80x\\uD83D\\u0041\"]")).isEqualTo("[\"\\uFFFDx\\uFFFD\\u0041\"]");
        // an escaped backslash before a u is no escape of a unit
        assertThat(CopyRows.jsonbText("[\"\\\\u0000 \\\\ud83d\"]")).isEqualTo("[\"\\\\u0000 \\\\ud83d\"]");
        assertThat(CopyRows.jsonbText("[\"\\u00e9\\n\"]")).isEqualTo("[\"\\u00e9\\n\"]");
    }

    @Test
    void writesTabSeparatedRowsWithNullMarkers() {
        CopyRows rows = new CopyRows(1);
        rows.add("BTC").add((String) null).add(new BigDecimal("1E+3")).add(42L)
                .add(Instant.parse("2024-01-01T00:00:00Z")).add(true);
        rows.endRow();
        assertThat(rows.body()).isEqualTo("BTC\t\\N\t1000\t42\t2024-01-01T00:00:00Z\tt\n");
    }

    @Test
    void escapesTheCharactersTheTextFormatReserves() {
        CopyRows rows = new CopyRows(1);
        rows.add("a\\b\tc\nd\re");
        rows.endRow();
        assertThat(rows.body()).isEqualTo("a\\\\b\\tc\\nd\\re\n");
    }

    @Test
    void replacesNulWhichPostgresTextCannotHold() {
        CopyRows rows = new CopyRows(1);
        rows.add("x\0y").addJson("{\"k\":\"a\\u0000b\"}");
        rows.endRow();
        assertThat(rows.body()).isEqualTo("x\uFFFDy\t{\"k\":\"a\\\\uFFFDb\"}\n");
    }

    @Test
    void escapesArriveWholeWhenTheBufferGrowsWhileTheyAreWritten() {
        CopyRows rows = new CopyRows(1);
        // 1,004 characters make room for 2,008 bytes (2,048), and the replaced NULs alone take 3,000
        rows.add("\0".repeat(1000) + "tail");
        rows.endRow();
        assertThat(rows.body()).isEqualTo("\uFFFD".repeat(1000) + "tail\n");
    }

    @Test
    void keepsOtherTextAsItIs() {
        CopyRows rows = new CopyRows(1);
        rows.add("Éthereum € \u0007 ü");
        rows.endRow();
        assertThat(rows.body()).isEqualTo("Éthereum € \u0007 ü\n");
    }

    @Test
    void escapesReservedCharactersThatFollowNonAsciiTextAndCountsBytes() {
        CopyRows rows = new CopyRows(1);
        rows.add("Ü\\t\tx\0\uD83D\uDE00\n");
        rows.endRow();
        assertThat(rows.body()).isEqualTo("Ü\\\\t\\tx\uFFFD\uD83D\uDE00\\n\n");
        assertThat(rows.length()).isEqualTo(rows.body().getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void writesDecimalsAsTheirPlainString() {
        List<String> values = List.of("0", "0.00", "1", "-1", "10", "6174.42855864", "0.00123", "-0.5",
                "857300763862.01", "999999999999999999", "0.000000000000000001", "1234567890123456789.5",
                "-98765432109876543210", "1E+3", "1.50E-7", "123456789012345678");
        CopyRows rows = new CopyRows(1);
        values.forEach(v -> rows.add(new BigDecimal(v)));
        rows.add(Long.MIN_VALUE).add(Long.MAX_VALUE).add(0L).add(-42L);
        rows.endRow();

        List<String> expected = new ArrayList<>();
        values.forEach(v -> expected.add(new BigDecimal(v).toPlainString()));
        expected.addAll(List.of(Long.toString(Long.MIN_VALUE), Long.toString(Long.MAX_VALUE), "0", "-42"));
        assertThat(rows.body()).isEqualTo(String.join("\t", expected) + "\n");
    }

    @Test
    void writesAnyDecimalOfUpTo18DigitsAsItsPlainString() {
        Random random = new Random(7);
        List<String> expected = new ArrayList<>();
        CopyRows rows = new CopyRows(1);
        for (int i = 0; i < 20_000; i++) {
            long unscaled = random.nextLong() % POWERS_OF_TEN_18 / (long) Math.pow(10, random.nextInt(18));
            BigDecimal value = BigDecimal.valueOf(unscaled, random.nextInt(13));
            rows.add(value);
            expected.add(value.toPlainString());
        }
        rows.endRow();

        assertThat(rows.body()).isEqualTo(String.join("\t", expected) + "\n");
    }

    private static final long POWERS_OF_TEN_18 = 1_000_000_000_000_000_000L;
}
