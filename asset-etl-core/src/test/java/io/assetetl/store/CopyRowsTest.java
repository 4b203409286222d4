package io.assetetl.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CopyRowsTest {

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
    void keepsOtherTextAsItIs() {
        CopyRows rows = new CopyRows(1);
        rows.add("Éthereum € \u0007 ü");
        rows.endRow();
        assertThat(rows.body()).isEqualTo("Éthereum € \u0007 ü\n");
    }
}
