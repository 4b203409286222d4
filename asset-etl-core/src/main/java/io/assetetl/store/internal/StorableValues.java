package io.assetetl.store.internal;

import io.assetetl.model.Checkpoint;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * What of an adapter's output PostgreSQL cannot store, found before any of it is sent: a value it refused failed
 * its chunk's transaction, and the same input failed it again at every later run. Not API: the engine's own checks.
 */
public final class StorableValues {

    /** Digits before the point of a number PostgreSQL's {@code numeric}, and so {@code jsonb}, stores at most. */
    static final int MAX_INTEGER_DIGITS = 131_072;
    /** Digits after the point, trailing zeros included, of a number {@code numeric} stores at most. */
    static final int MAX_FRACTION_DIGITS = 16_383;
    /** The largest exponent PostgreSQL reads in a number, whatever its digits (2^30 - 2 for PostgreSQL 15). */
    private static final long MAX_EXPONENT = 1_073_741_822;
    /** What a reject or an error says of the range. */
    static final String RANGE = MAX_INTEGER_DIGITS + " digits before the point and " + MAX_FRACTION_DIGITS
            + " after it at most";

    private StorableValues() {
    }

    /**
     * Why PostgreSQL could not store {@code checkpoint}, as the end of a phrase ("a checkpoint whose stream name
     * …"), or empty when it can: a stream name longer than {@link Checkpoint#MAX_STREAM_LENGTH}, or holding a NUL or
     * half of a surrogate pair (which the driver sends as {@code ?}, so that the source would not get its checkpoint
     * back under its name), or a position holding a number beyond {@code numeric}'s range.
     */
    public static Optional<String> checkpointProblem(Checkpoint checkpoint) {
        String stream = checkpoint.stream();
        if (stream.length() > Checkpoint.MAX_STREAM_LENGTH) {
            return Optional.of("whose stream name is " + stream.length() + " characters long, longer than "
                    + Checkpoint.MAX_STREAM_LENGTH + " (the stream is a key of etl_checkpoints): '" + shown(stream)
                    + "'");
        }
        int unstorable = unstorableCharacter(stream, false);
        if (unstorable >= 0) {
            char c = stream.charAt(unstorable);
            return Optional.of(c == '\0'
                    ? "whose stream name holds a NUL (U+0000), which PostgreSQL's text cannot store: '"
                            + shown(stream) + "'"
                    : String.format("whose stream name holds half of a surrogate pair (U+%04X), which no text can"
                            + " store: '%s'", (int) c, shown(stream)));
        }
        int at = unstorableNumber(checkpoint.position());
        if (at >= 0) {
            return Optional.of("whose position holds a number PostgreSQL cannot store (" + RANGE + "): "
                    + numberText(checkpoint.position(), at));
        }
        return Optional.empty();
    }

    /**
     * {@code key} as a raw table stores it: as it is, unless it holds a character PostgreSQL's {@code text} cannot
     * (a NUL, half of a surrogate pair). Then each such character is U+FFFD, and the key ends with {@code #} and 16
     * hex digits of the SHA-256 of its characters as given (UTF-16), so that two keys that differ only there stay two
     * keys, and none becomes the key that holds U+FFFD, or the {@code ?} the driver would send, in that place. A key
     * given in that shape already (a U+FFFD, and {@code #} and 16 lower-case hex digits at its end) is marked too: as
     * it is, it would be the stored key of the key whose digest it ends with, which anyone can compute.
     */
    public static String storableKey(String key) {
        if (unstorableCharacter(key, false) < 0 && !markedShape(key)) {
            return key;
        }
        StringBuilder stored = new StringBuilder(key.length() + 17);
        byte[] chars = new byte[key.length() * 2];
        for (int k = 0; k < key.length(); k++) {
            char c = key.charAt(k);
            chars[2 * k] = (byte) (c >>> 8);
            chars[2 * k + 1] = (byte) c;
            boolean pair = Character.isHighSurrogate(c) && k + 1 < key.length()
                    && Character.isLowSurrogate(key.charAt(k + 1));
            boolean halfPair = Character.isSurrogate(c) && !pair
                    && !(Character.isLowSurrogate(c) && k > 0 && Character.isHighSurrogate(key.charAt(k - 1)));
            stored.append(c == '\0' || halfPair ? '\uFFFD' : c);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(chars);
            return stored.append('#').append(HexFormat.of().formatHex(digest, 0, 8)).toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Whether {@code key} has the shape of a key {@link #storableKey} marked: U+FFFD, then {@code #} and a digest. */
    private static boolean markedShape(String key) {
        int mark = key.length() - 17;
        if (mark < 1 || key.charAt(mark) != '#' || key.lastIndexOf('\uFFFD', mark - 1) < 0) {
            return false;
        }
        for (int k = mark + 1; k < key.length(); k++) {
            char c = key.charAt(k);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Where in {@code text} the first character is that a stored text cannot hold, or -1: a NUL, which PostgreSQL's
     * {@code text} refuses, half of a surrogate pair, which UTF-8 cannot encode (the driver sends it as {@code ?}),
     * and, with {@code anyControl}, every other control character too.
     */
    static int unstorableCharacter(String text, boolean anyControl) {
        for (int k = 0; k < text.length(); k++) {
            char c = text.charAt(k);
            if (c == '\0' || anyControl && Character.isISOControl(c)) {
                return k;
            }
            if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || k + 1 == text.length()
                        || !Character.isLowSurrogate(text.charAt(k + 1))) {
                    return k;
                }
                k++;
            }
        }
        return -1;
    }

    /**
     * Where the first number of the JSON text {@code json} starts that PostgreSQL's {@code numeric} cannot hold, or
     * -1 when it holds them all: one with more than {@value #MAX_INTEGER_DIGITS} digits before the point or more
     * than {@value #MAX_FRACTION_DIGITS} after it, counted as PostgreSQL counts them once the exponent is applied
     * ({@code 1e1000000}, {@code 1e-16384}, {@code 0.0e-16383}), or whose exponent PostgreSQL does not read at all.
     * One pass over the text, without allocating: strings are skipped a quote at a time, so that a payload whose
     * values are all strings, as the CSV sources' are, costs a few {@code indexOf}s. A text that is not JSON gives
     * an answer of no meaning, which PostgreSQL refuses anyway.
     */
    static int unstorableNumber(String json) {
        int n = json.length();
        int i = 0;
        while (i < n) {
            char c = json.charAt(i);
            if (c == '"') {
                i = afterString(json, i + 1);
            } else if (c == '-' || c >= '0' && c <= '9') {
                int end = number(json, i);
                if (end < 0) {
                    return i;
                }
                i = end;
            } else {
                i++;
            }
        }
        return -1;
    }

    /** The index after the string whose text starts at {@code from}: after its closing quote, or the text's end. */
    private static int afterString(String json, int from) {
        for (int quote = json.indexOf('"', from); quote >= 0; quote = json.indexOf('"', quote + 1)) {
            int k = quote - 1;
            while (k >= from && json.charAt(k) == '\\') {
                k--;
            }
            if ((quote - 1 - k) % 2 == 0) {
                return quote + 1; // not escaped: an even number of backslashes before it
            }
        }
        return json.length();
    }

    /**
     * The index after the number that starts at {@code start}, or that index negated less one when PostgreSQL
     * cannot store the number. PostgreSQL keeps a number's digits after the point, trailing zeros included (less
     * the exponent), and its weight from its first digit that is not zero.
     */
    private static int number(String json, int start) {
        int n = json.length();
        int i = json.charAt(start) == '-' ? start + 1 : start;
        // the power of ten of the first digit that is not zero; none for a zero
        long first = Long.MIN_VALUE;
        int integerStart = i;
        int firstNonZero = -1;
        while (i < n && isDigit(json.charAt(i))) {
            if (firstNonZero < 0 && json.charAt(i) != '0') {
                firstNonZero = i;
            }
            i++;
        }
        if (firstNonZero >= 0) {
            first = i - 1 - firstNonZero;
        }
        long fractionDigits = 0;
        if (i < n && json.charAt(i) == '.') {
            int fractionStart = ++i;
            while (i < n && isDigit(json.charAt(i))) {
                if (first == Long.MIN_VALUE && json.charAt(i) != '0') {
                    first = -(i - fractionStart + 1);
                }
                i++;
            }
            fractionDigits = i - fractionStart;
        }
        long exponent = 0;
        if (i < n && (json.charAt(i) == 'e' || json.charAt(i) == 'E') && i > integerStart) {
            i++;
            boolean negative = false;
            if (i < n && (json.charAt(i) == '+' || json.charAt(i) == '-')) {
                negative = json.charAt(i) == '-';
                i++;
            }
            while (i < n && isDigit(json.charAt(i))) {
                if (exponent <= MAX_EXPONENT) {
                    exponent = exponent * 10 + (json.charAt(i) - '0');
                }
                i++;
            }
            exponent = negative ? -exponent : exponent;
        }
        boolean storable = Math.abs(exponent) <= MAX_EXPONENT
                && fractionDigits - exponent <= MAX_FRACTION_DIGITS
                && (first == Long.MIN_VALUE || first + exponent < MAX_INTEGER_DIGITS);
        return storable ? i : -i - 1;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The number that starts at {@code at}, its first 40 characters when it is longer. */
    static String numberText(String json, int at) {
        int end = number(json, at);
        end = end < 0 ? -end - 1 : end;
        return end - at <= 40 ? json.substring(at, end) : json.substring(at, at + 40) + "…";
    }

    /** {@code text} as a message shows it: its first 80 characters, with each NUL and half pair as U+FFFD. */
    private static String shown(String text) {
        String start = text.length() <= 80 ? text : text.substring(0, 80) + "…";
        StringBuilder shown = new StringBuilder(start.length());
        for (int k = 0; k < start.length(); k++) {
            char c = start.charAt(k);
            boolean pair = Character.isHighSurrogate(c) && k + 1 < start.length()
                    && Character.isLowSurrogate(start.charAt(k + 1));
            if (pair) {
                shown.append(c).append(start.charAt(++k));
            } else {
                shown.append(c == '\0' || Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return shown.toString();
    }
}
