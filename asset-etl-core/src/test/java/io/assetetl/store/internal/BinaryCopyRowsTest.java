package io.assetetl.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BinaryCopyRowsTest {

    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0,
        0, 0, 0, 0, 0, 0, 0, 0};

    @Test
    void startsWithTheSignatureAndEndsWithTheEndMarker() {
        BinaryCopyRows rows = new BinaryCopyRows(1);
        rows.finish();
        assertThat(rows.bytes()).isEqualTo(concat(HEADER, new byte[] {(byte) 0xFF, (byte) 0xFF}));
    }

    @Test
    void writesEachRowAsItsColumnCountThenEachValueAsLengthAndBytes() {
        BinaryCopyRows rows = new BinaryCopyRows(1);
        rows.add("BTC").add((String) null).add(42L);
        rows.endRow();
        ByteBuffer body = body(rows);
        assertThat(body.getShort()).isEqualTo((short) 3);
        assertThat(body.getInt()).isEqualTo(3);
        assertThat(text(body, 3)).isEqualTo("BTC");
        assertThat(body.getInt()).isEqualTo(-1);
        assertThat(body.getInt()).isEqualTo(8);
        assertThat(body.getLong()).isEqualTo(42L);
        assertThat(body.hasRemaining()).isFalse();
    }

    @Test
    void writesTextAsUtf8AndReplacesNulWhichPostgresTextCannotHold() {
        BinaryCopyRows rows = new BinaryCopyRows(1);
        String text = "Éthereum \t€\\ x\0y \uD83D\uDE00";
        rows.add(text);
        rows.endRow();
        ByteBuffer body = body(rows);
        body.getShort();
        byte[] expected = text.replace('\0', '\uFFFD').getBytes(StandardCharsets.UTF_8);
        assertThat(body.getInt()).isEqualTo(expected.length);
        assertThat(text(body, expected.length)).isEqualTo(text.replace('\0', '\uFFFD'));
    }

    @Test
    void writesTextLongerThanTheBufferWhetherItsNonAsciiPartStartsEarlyOrLate() {
        BinaryCopyRows rows = new BinaryCopyRows(1);
        String late = "a".repeat(3000) + "é\0" + "b".repeat(3000);
        String early = "é" + "c".repeat(5000);
        rows.add(late).addJsonb("\"" + "d".repeat(4000) + "\"").add(early);
        rows.endRow();
        ByteBuffer body = body(rows);
        assertThat(body.getShort()).isEqualTo((short) 3);
        byte[] lateBytes = late.replace('\0', '\uFFFD').getBytes(StandardCharsets.UTF_8);
        assertThat(body.getInt()).isEqualTo(lateBytes.length);
        assertThat(text(body, lateBytes.length)).isEqualTo(late.replace('\0', '\uFFFD'));
        assertThat(body.getInt()).isEqualTo(1 + 4002);
        assertThat(body.get()).isEqualTo((byte) 1);
        assertThat(text(body, 4002)).isEqualTo("\"" + "d".repeat(4000) + "\"");
        assertThat(body.getInt()).isEqualTo(5002);
        assertThat(text(body, 5002)).isEqualTo(early);
        assertThat(body.hasRemaining()).isFalse();
    }

    @Test
    void writesJsonbAsVersionOneThenTheTextWithoutTheEscapedNulJsonbRefuses() {
        BinaryCopyRows rows = new BinaryCopyRows(1);
        rows.addJsonb("{\"k\":\"a\\u0000b\"}");
        rows.endRow();
        ByteBuffer body = body(rows);
        body.getShort();
        String expected = "{\"k\":\"a\\uFFFDb\"}";
        assertThat(body.getInt()).isEqualTo(1 + expected.length());
        assertThat(body.get()).isEqualTo((byte) 1);
        assertThat(text(body, expected.length())).isEqualTo(expected);
    }

    @Test
    void writesUuidsAsTheirSixteenBytes() {
        UUID id = UUID.fromString("2a4388b7-8856-402a-bb17-082c91858380");
        BinaryCopyRows rows = new BinaryCopyRows(1);
        rows.add(id);
        rows.endRow();
        ByteBuffer body = body(rows);
        body.getShort();
        assertThat(body.getInt()).isEqualTo(16);
        assertThat(new UUID(body.getLong(), body.getLong())).isEqualTo(id);
    }

    @Test
    void writesTimesAsMicrosecondsSince2000RoundedToTheNearestOne() {
        assertThat(micros("2000-01-01T00:00:00Z")).isZero();
        assertThat(micros("2024-01-01T00:00:00Z")).isEqualTo(757_382_400_000_000L);
        assertThat(micros("2021-06-30T12:34:56.789Z")).isEqualTo(678_371_696_789_000L);
        assertThat(micros("1999-12-31T23:59:59.999999Z")).isEqualTo(-1L);
        assertThat(micros("2000-01-01T00:00:00.000001499Z")).isEqualTo(1L);
        assertThat(micros("2000-01-01T00:00:00.000002501Z")).isEqualTo(3L);
        assertThat(micros("2000-01-01T00:00:00.999999999Z")).isEqualTo(1_000_000L);
        assertThatThrownBy(() -> new BinaryCopyRows(1).add(Instant.MAX))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of PostgreSQL's range");
    }

    @Test
    void writesNumericsAsBase10000DigitsAlignedOnTheDecimalPoint() {
        // 17154.48427004 = 1 7154 . 4842 7004
        assertThat(numeric("17154.48427004")).containsExactly(4, 1, 0x0000, 8, 1, 7154, 4842, 7004);
        assertThat(numeric("0.5")).containsExactly(1, -1, 0x0000, 1, 5000);
        assertThat(numeric("0.00001234")).containsExactly(1, -2, 0x0000, 8, 1234);
        assertThat(numeric("-20000")).containsExactly(1, 1, 0x4000, 0, 2);
        assertThat(numeric("1E+3")).containsExactly(1, 0, 0x0000, 0, 1000);
        assertThat(numeric("0.00")).containsExactly(0, 0, 0x0000, 2);
        // beyond a long: 1234 5678 9012 3456 7890 1234 . 5000
        assertThat(numeric("123456789012345678901234.5")).containsExactly(7, 5, 0x0000, 1,
                1234, 5678, 9012, 3456, 7890, 1234, 5000);
    }

    @Test
    void refusesToDrainInTheMiddleOfARow() {
        BinaryCopyRows rows = new BinaryCopyRows(1);
        rows.add(1L);
        assertThatThrownBy(() -> rows.drainTo(null)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(rows::finish).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void growsItsBufferForLongValues() {
        BinaryCopyRows rows = new BinaryCopyRows(1);
        String longText = "x".repeat(5000) + "é";
        rows.add(longText).add(new BigDecimal("9".repeat(400) + "." + "1".repeat(50)));
        rows.endRow();
        ByteBuffer body = body(rows);
        body.getShort();
        int length = body.getInt();
        assertThat(text(body, length)).isEqualTo(longText);
        assertThat(body.getInt()).isEqualTo(8 + 2 * (100 + 13));
    }

    private static long micros(String instant) {
        BinaryCopyRows rows = new BinaryCopyRows(1);
        rows.add(Instant.parse(instant));
        rows.endRow();
        ByteBuffer body = body(rows);
        body.getShort();
        assertThat(body.getInt()).isEqualTo(8);
        return body.getLong();
    }

    /** A numeric's fields after its length: digit count, weight, sign, scale, digits. */
    private static int[] numeric(String value) {
        BinaryCopyRows rows = new BinaryCopyRows(1);
        rows.add(new BigDecimal(value));
        rows.endRow();
        ByteBuffer body = body(rows);
        body.getShort();
        int length = body.getInt();
        int[] fields = new int[length / 2];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = body.getShort();
        }
        assertThat(body.hasRemaining()).isFalse();
        return fields;
    }

    /** The rows after the header. */
    private static ByteBuffer body(BinaryCopyRows rows) {
        byte[] bytes = rows.bytes();
        assertThat(Arrays.copyOf(bytes, HEADER.length)).isEqualTo(HEADER);
        return ByteBuffer.wrap(bytes, HEADER.length, bytes.length - HEADER.length);
    }

    private static String text(ByteBuffer body, int length) {
        byte[] bytes = new byte[length];
        body.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
