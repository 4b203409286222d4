package io.assetetl.store.internal;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.postgresql.copy.CopyIn;

/**
 * Builds the body of a {@code COPY … FROM STDIN} in PostgreSQL's text format: tab-separated columns, one row a
 * line, {@code \N} for null, backslash escapes for the characters the format reserves.
 *
 * <p>Rows are written as UTF-8 bytes straight into one reused buffer, which is what the driver sends: most of what a
 * load copies is ASCII, and encoding it as it is added saves building a string of each block and then its bytes.
 */
final class CopyRows {

    private static final int MAX_CACHED_INSTANTS = 4096;
    private static final byte[] NULL = {'\\', 'N'};
    private static final byte[] REPLACEMENT = "\uFFFD".getBytes(StandardCharsets.UTF_8);
    /** The most digits an unscaled value that fits a long is written from without {@link BigDecimal#toPlainString}. */
    private static final int MAX_FAST_DIGITS = 18;

    /** 10^0 to 10^18: a value below the n-th has at most n digits (also {@link BinaryCopyRows}'s). */
    static final long[] POWERS_OF_TEN = new long[MAX_FAST_DIGITS + 1];
    /** The tens and the ones digit of 0 to 99, for writing two digits a division. */
    private static final byte[] TENS = new byte[100];
    private static final byte[] ONES = new byte[100];

    static {
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
        }
        for (int i = 0; i < 100; i++) {
            TENS[i] = (byte) ('0' + i / 10);
            ONES[i] = (byte) ('0' + i % 10);
        }
    }

    private byte[] out;
    private int length;
    private final Map<Instant, byte[]> instants = new HashMap<>();
    private boolean rowStarted;

    CopyRows(int expectedRows) {
        this.out = new byte[Math.max(1024, Math.min(expectedRows, 4096) * 256)];
    }

    CopyRows add(String value) {
        separator();
        if (value == null) {
            put(NULL);
            return this;
        }
        int n = value.length();
        ensure(n);
        byte[] buffer = out;
        int at = length;
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c > 0x1F && c < 0x80 && c != '\\') {
                buffer[at++] = (byte) c; // nearly every character: printable ASCII, copied as it is
                continue;
            }
            length = at;
            if (c >= 0x80) {
                // the rest holds non-ASCII text: the JDK encodes it, and as UTF-8 writes every non-ASCII character
                // with bytes of 0x80 and above, the bytes below 0x80 are the ASCII characters to escape
                byte[] rest = value.substring(i).getBytes(StandardCharsets.UTF_8);
                ensure(rest.length);
                for (byte b : rest) {
                    putEscaped(b);
                }
                return this;
            }
            putEscaped((byte) c); // a control character or a backslash; a NUL's replacement may grow the buffer
            buffer = out;
            at = length;
        }
        length = at;
        return this;
    }

    /** One byte of UTF-8 text, escaped as the text format requires; the caller has ensured room for it escaped. */
    private void putEscaped(byte b) {
        switch (b) {
            case '\\' -> put('\\', '\\');
            case '\t' -> put('\\', 't');
            case '\n' -> put('\\', 'n');
            case '\r' -> put('\\', 'r');
            case 0 -> put(REPLACEMENT); // PostgreSQL text cannot hold NUL
            default -> out[length++] = b;
        }
    }

    /** Adds a JSON text, replacing the escapes that jsonb refuses ({@link #jsonbText}). */
    CopyRows addJson(String json) {
        return add(json == null ? null : jsonbText(json));
    }

    /** {@code value} with each NUL, which PostgreSQL's {@code text} refuses, as U+FFFD; {@code null} stays null. */
    static String text(String value) {
        return value == null || value.indexOf('\0') < 0 ? value : value.replace('\0', '\uFFFD');
    }

    /**
     * {@code json} with each escape that is valid JSON but that jsonb refuses escaping U+FFFD instead: a NUL
     * ({@code \\u0000}), and half of a surrogate pair without its other half ({@code "\\ud83d"}, as an upstream that
     * cut a string in the middle of an emoji sends). Refused, such a text failed its chunk, run after run.
     */
    static String jsonbText(String json) {
        if (json.indexOf("\\u") < 0) {
            return json;
        }
        StringBuilder out = null;
        int copied = 0;
        int n = json.length();
        int i = json.indexOf('\\');
        while (i >= 0 && i + 1 < n) {
            if (json.charAt(i + 1) != 'u') {
                i = json.indexOf('\\', i + 2); // an escaped character, an escaped backslash among them
                continue;
            }
            int unit = hexUnit(json, i + 2);
            int length = 6;
            boolean refused = unit == 0 || Character.isLowSurrogate((char) unit);
            if (unit >= 0 && Character.isHighSurrogate((char) unit)) {
                int low = i + 7 < n && json.charAt(i + 6) == '\\' && json.charAt(i + 7) == 'u'
                        ? hexUnit(json, i + 8) : -1;
                refused = low < 0 || !Character.isLowSurrogate((char) low);
                length = refused ? 6 : 12;
            }
            if (refused && unit >= 0) {
                out = (out == null ? new StringBuilder(n) : out).append(json, copied, i).append("\\uFFFD");
                copied = i + 6;
            }
            i = json.indexOf('\\', i + length);
        }
        return out == null ? json : out.append(json, copied, n).toString();
    }

    /** The UTF-16 unit of the four hex digits at {@code at}, or -1 when there are not four. */
    private static int hexUnit(String text, int at) {
        if (at + 4 > text.length()) {
            return -1;
        }
        int unit = 0;
        for (int k = at; k < at + 4; k++) {
            int digit = Character.digit(text.charAt(k), 16);
            if (digit < 0) {
                return -1;
            }
            unit = unit << 4 | digit;
        }
        return unit;
    }

    CopyRows add(long value) {
        separator();
        if (value == Long.MIN_VALUE) {
            put(Long.toString(value).getBytes(StandardCharsets.US_ASCII));
        } else {
            putDecimal(value, 0);
        }
        return this;
    }

    CopyRows add(BigDecimal value) {
        separator();
        if (value == null) {
            put(NULL);
        } else if (value.scale() >= 0 && value.precision() <= MAX_FAST_DIGITS) {
            putDecimal(BinaryCopyRows.unscaledLong(value), value.scale());
        } else {
            put(value.toPlainString().getBytes(StandardCharsets.US_ASCII));
        }
        return this;
    }

    CopyRows add(Instant value) {
        separator();
        if (value == null) {
            put(NULL);
        } else {
            // a chunk's rows share few instants, and formatting one is dear
            put(instants.computeIfAbsent(value, v -> v.toString().getBytes(StandardCharsets.US_ASCII)));
            if (instants.size() > MAX_CACHED_INSTANTS) {
                instants.clear();
            }
        }
        return this;
    }

    CopyRows add(Boolean value) {
        separator();
        if (value == null) {
            put(NULL);
        } else {
            ensure(1);
            out[length++] = (byte) (value ? 't' : 'f');
        }
        return this;
    }

    void endRow() {
        ensure(1);
        out[length++] = '\n';
        rowStarted = false;
    }

    /** The rows formatted and not yet drained, as text. */
    String body() {
        return new String(out, 0, length, StandardCharsets.UTF_8);
    }

    /** Bytes formatted and not yet drained. */
    int length() {
        return length;
    }

    /** Sends the rows formatted so far to {@code copy} and forgets them. */
    void drainTo(CopyIn copy) throws SQLException {
        if (length > 0) {
            copy.writeToCopy(out, 0, length);
            length = 0;
        }
    }

    /** Writes {@code unscaled × 10^-scale} as a plain decimal, as {@link BigDecimal#toPlainString} does. */
    private void putDecimal(long unscaled, int scale) {
        boolean negative = unscaled < 0;
        long rest = Math.abs(unscaled);
        int digits = 1;
        while (digits < POWERS_OF_TEN.length && rest >= POWERS_OF_TEN[digits]) {
            digits++;
        }
        int integerDigits = Math.max(digits - scale, 1);
        int size = (negative ? 1 : 0) + integerDigits + (scale > 0 ? 1 + scale : 0);
        ensure(size);
        int end = length + size;
        int at = end;
        rest = putDigits(out, at, rest, scale);
        at -= scale;
        if (scale > 0) {
            out[--at] = '.';
        }
        putDigits(out, at, rest, integerDigits);
        at -= integerDigits;
        if (negative) {
            out[--at] = '-';
        }
        length = end;
    }

    /**
     * Writes the last {@code count} digits of {@code value} (zeros where it has fewer) into the {@code count} bytes
     * before {@code end}, two digits a division; returns the digits left above them.
     */
    private static long putDigits(byte[] buffer, int end, long value, int count) {
        int at = end;
        int left = count;
        for (; left >= 2; left -= 2) {
            int pair = (int) (value % 100);
            value /= 100;
            buffer[--at] = ONES[pair];
            buffer[--at] = TENS[pair];
        }
        if (left == 1) {
            buffer[--at] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return value;
    }

    private void put(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, out, length, bytes.length);
        length += bytes.length;
    }

    private void put(char first, char second) {
        ensure(2);
        out[length++] = (byte) first;
        out[length++] = (byte) second;
    }

    private void ensure(int more) {
        // an escaped ASCII character takes two bytes
        int needed = length + 2 * more;
        if (needed > out.length) {
            out = Arrays.copyOf(out, Math.max(needed, out.length * 2));
        }
    }

    private void separator() {
        if (rowStarted) {
            ensure(1);
            out[length++] = '\t';
        }
        rowStarted = true;
    }
}
