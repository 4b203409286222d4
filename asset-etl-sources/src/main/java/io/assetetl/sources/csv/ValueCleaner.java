package io.assetetl.sources.csv;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pure functions that turn the cells of real-world CSV files into values: currency signs and codes, thousands
 * separators, decimal commas, magnitude suffixes, null markers and tickers written inside names ({@link
 * TimestampCleaner} does timestamps). Nothing here guesses.
 */
final class ValueCleaner {

    /** Numbers with more integer or fraction digits than this are rejected as out of range. */
    static final int MAX_DIGITS = 30;

    private static final Set<String> NULL_MARKERS = Set.of("n/a", "na", "#n/a", "-", "--", "\u2013", "\u2014",
            "null", "none", "nil", "nan", "?");
    /** The null markers that listed coins have as tickers: NIL (Nillion), NULL (Null Matrix, NullTrace). */
    private static final Set<String> TICKER_MARKERS = Set.of("nil", "null");
    private static final String[] CURRENCY_MARKERS = {"us$", "usd", "$"};
    private static final String[] SUFFIXES = {"trillion", "billion", "million", "thousand", "tn", "bn", "mn", "mm",
        "t", "b", "m", "k"};
    private static final int[] SUFFIX_POWERS = {12, 9, 6, 3, 12, 9, 6, 6, 12, 9, 6, 3};

    private static final Pattern SYMBOL_IN_NAME = Pattern.compile("^(.*?\\S)\\s*\\(\\s*([A-Z0-9][A-Z0-9.\\-]{0,14})\\s*\\)$");
    /** An upper-case ticker written alone ({@code BTC}, {@code C027}, {@code BRK.B}), as a name cell can be. */
    private static final Pattern BARE_TICKER = Pattern.compile("[A-Z0-9][A-Z0-9.\\-]{0,14}");

    private ValueCleaner() {
    }

    /**
     * Whether a name cell is an upper-case ticker alone ({@code BTC} in a column headed {@code asset} or
     * {@code coin}), which a file without a symbol column gives as the asset's symbol; {@code Bitcoin} is a name.
     */
    static boolean isBareTicker(String cell) {
        if (isAbsent(cell)) {
            return false;
        }
        String s = cell.strip();
        return BARE_TICKER.matcher(s).matches() && hasLetter(s);
    }

    /** Whether a cell holds nothing: null, blank, or a null marker such as {@code N/A}, {@code -} or {@code null}. */
    static boolean isAbsent(String cell) {
        if (cell == null) {
            return true;
        }
        String s = cell.strip();
        return s.isEmpty() || (s.length() <= 5 && NULL_MARKERS.contains(s.toLowerCase(Locale.ROOT)));
    }

    /**
     * A number in US dollars as people write it: {@code $43,250.10}, {@code 98.7 USD}, {@code 2 310,55 $},
     * {@code 1.234.567,8}, {@code $1.7T} (1.7e12), {@code 600B}, {@code 1.5e9}, {@code (12.5)}. Negative numbers are
     * returned as such; whether they are acceptable is the caller's rule.
     *
     * <p>A single comma followed by exactly three digits after a one-to-three-digit integer part not starting with
     * zero ({@code 87,000}) is a thousands separator; any other single comma ({@code 0,52}, {@code 2 310,55}) is a
     * decimal comma.
     */
    static Cleaned<BigDecimal> number(String cell) {
        return number(cell, DecimalMark.UNSPECIFIED);
    }

    /**
     * As {@link #number(String)}, with the file's decimal mark where it is known: then the other of {@code .} and
     * {@code ,} only groups digits, and a cell with the mark twice, or digits grouped other than by three, is not a
     * number.
     */
    static Cleaned<BigDecimal> number(String cell, DecimalMark mark) {
        if (isAbsent(cell)) {
            return Cleaned.absent();
        }
        String s = normalizeSpaces(cell.strip());
        boolean negative = false;
        if (s.length() > 2 && s.charAt(0) == '(' && s.charAt(s.length() - 1) == ')') {
            negative = true;
            s = s.substring(1, s.length() - 1).strip();
        }
        s = stripCurrency(s);
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '\u2212' || s.charAt(0) == '+')) {
            negative ^= s.charAt(0) != '+';
            s = stripCurrency(s.substring(1).strip());
        }
        int power = 0;
        String lower = s.toLowerCase(Locale.ROOT);
        for (int i = 0; i < SUFFIXES.length; i++) {
            String suffix = SUFFIXES[i];
            if (lower.length() > suffix.length() && lower.endsWith(suffix)) {
                char before = lower.charAt(lower.length() - suffix.length() - 1);
                if (Character.isDigit(before) || before == ' ' || before == '.') {
                    power = SUFFIX_POWERS[i];
                    s = stripCurrency(s.substring(0, s.length() - suffix.length()).strip());
                    break;
                }
            }
        }
        BigDecimal value = body(s, mark);
        if (value == null) {
            return Cleaned.invalid("not a number: '" + abbreviate(cell) + "'");
        }
        value = value.scaleByPowerOfTen(power);
        if (value.precision() - value.scale() > MAX_DIGITS || value.scale() > MAX_DIGITS) {
            return Cleaned.invalid("a number out of range: '" + abbreviate(cell) + "'");
        }
        if (value.scale() < 0) {
            value = value.setScale(0);
        }
        return Cleaned.of(negative ? value.negate() : value);
    }

    /**
     * A plain decimal number as a well-formed file writes it ({@code 43250.5}, {@code -1}, {@code 1.7E12}): no
     * separators, currency or suffixes. Used by the clean {@code csv} source, where anything else is a reject.
     */
    static Cleaned<BigDecimal> plainNumber(String cell) {
        if (cell == null || cell.isEmpty()) {
            return Cleaned.absent();
        }
        BigDecimal simple = simpleDecimal(cell);
        if (simple != null) {
            return Cleaned.of(simple); // at most 18 digits and a scale of at least 0: within every limit below
        }
        int length = cell.length();
        for (int i = 0; i < length; i++) {
            char c = cell.charAt(i);
            if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
                return Cleaned.invalid("not a number: '" + abbreviate(cell) + "'");
            }
        }
        int e = Math.max(cell.indexOf('e'), cell.indexOf('E'));
        if (e >= 0 && cell.length() - e > 6) {
            return Cleaned.invalid("a number out of range: '" + abbreviate(cell) + "'");
        }
        BigDecimal value;
        try {
            value = new BigDecimal(cell);
        } catch (NumberFormatException ex) {
            return Cleaned.invalid("not a number: '" + abbreviate(cell) + "'");
        }
        if (value.precision() - value.scale() > MAX_DIGITS || value.scale() > MAX_DIGITS) {
            return Cleaned.invalid("a number out of range: '" + abbreviate(cell) + "'");
        }
        return Cleaned.of(value.scale() < 0 ? value.setScale(0) : value);
    }

    /**
     * The value of a cell of the commonest shape, {@code -?digits(.digits)?} with at most 18 digits, read without
     * {@link BigDecimal}'s string parser (which copies the text first); null for any other shape.
     */
    static BigDecimal simpleDecimal(String cell) {
        int length = cell.length();
        boolean negative = length > 0 && cell.charAt(0) == '-';
        long unscaled = 0;
        int digits = 0;
        int scale = -1;
        for (int i = negative ? 1 : 0; i < length; i++) {
            char c = cell.charAt(i);
            if (c >= '0' && c <= '9') {
                unscaled = unscaled * 10 + (c - '0');
                digits++;
                if (scale >= 0) {
                    scale++;
                }
            } else if (c == '.' && scale < 0 && digits > 0) {
                scale = 0;
            } else {
                return null;
            }
        }
        if (digits == 0 || digits > 18 || scale == 0) {
            return null;
        }
        return BigDecimal.valueOf(negative ? -unscaled : unscaled, Math.max(scale, 0));
    }

    /** The symbol and name written in one cell such as {@code Bitcoin (BTC)}. */
    record NameAndSymbol(String name, String symbol) {
    }

    /**
     * Splits a name cell: {@code Bitcoin (BTC)} is name {@code Bitcoin} and symbol {@code BTC}; a name without a
     * trailing upper-case ticker in parentheses keeps its text and has no symbol; an absent cell has neither.
     */
    static NameAndSymbol name(String cell) {
        if (isAbsent(cell)) {
            return new NameAndSymbol(null, null);
        }
        String s = cell.strip();
        if (s.endsWith(")")) {
            Matcher m = SYMBOL_IN_NAME.matcher(s);
            if (m.matches() && hasLetter(m.group(2))) {
                return new NameAndSymbol(m.group(1), m.group(2));
            }
        }
        return new NameAndSymbol(s, null);
    }

    /**
     * Whether a symbol cell that marks an absent value is instead its row's ticker: it is a marker that listed coins
     * have as their ticker, and the row's name (as {@link #name} reads it) begins with it, as Nillion's ticker
     * {@code NIL} and Null Matrix's {@code NULL}. A row that writes {@code null} for a missing symbol and names an
     * asset names one whose name begins otherwise ({@code NULL,Bitcoin}), and such a row is still missing its symbol.
     */
    static boolean isTickerMarker(String symbolCell, String name) {
        if (symbolCell == null || name == null) {
            return false;
        }
        String marker = symbolCell.strip().toLowerCase(Locale.ROOT);
        return TICKER_MARKERS.contains(marker) && name.strip().toLowerCase(Locale.ROOT).startsWith(marker);
    }

    /**
     * A ticker as written ({@code btc}, {@code BTC}, {@code $BTC}, {@code Bitcoin (BTC)}, {@code figr_heloc}),
     * without changing its case: the engine upper-cases it into the canonical symbol.
     */
    static Cleaned<String> symbol(String cell) {
        if (isAbsent(cell)) {
            return Cleaned.absent();
        }
        String s = cell.strip();
        NameAndSymbol inName = name(s);
        if (inName.symbol() != null) {
            s = inName.symbol();
        } else if (s.length() > 1 && s.charAt(0) == '$' && Character.isLetter(s.charAt(1))) {
            s = s.substring(1);
        }
        return isTicker(s) ? Cleaned.of(s) : Cleaned.invalid("not a ticker: '" + abbreviate(cell) + "'");
    }

    /**
     * The symbol as a cell wrote it, which the source stores beside the ticker {@link #symbol} reads from it: the
     * cell without the whitespace around it ({@code $SHIB}, {@code btc}, {@code Btc} of {@code " Btc "}), or, when
     * the cell writes a name with its ticker in parentheses ({@code Toncoin (TON)}), that ticker as written
     * ({@code TON}): the name is not part of the symbol. {@code null} when the cell is absent.
     */
    static String writtenSymbol(String cell) {
        if (isAbsent(cell)) {
            return null;
        }
        String s = cell.strip();
        String inName = s.endsWith(")") ? name(s).symbol() : null;
        return inName != null ? inName : s;
    }

    /** Whether a trimmed text can be a ticker: 1 to 30 letters, digits, {@code .}, {@code _} or {@code -}. */
    static boolean isTicker(String s) {
        int length = s.length();
        if (length == 0 || length > 30) {
            return false;
        }
        boolean letterOrDigit = false;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                letterOrDigit = true;
            } else if (c != '.' && c != '_' && c != '-') {
                return false;
            }
        }
        return letterOrDigit;
    }

    static boolean isDigits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean hasLetter(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isLetter(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static String normalizeSpaces(String s) {
        return s.indexOf('\u00A0') < 0 && s.indexOf('\u202F') < 0 ? s : s.replace('\u00A0', ' ').replace('\u202F', ' ');
    }

    private static String stripCurrency(String s) {
        boolean changed = true;
        while (changed && !s.isEmpty()) {
            changed = false;
            String lower = s.toLowerCase(Locale.ROOT);
            for (String marker : CURRENCY_MARKERS) {
                if (lower.startsWith(marker)) {
                    s = s.substring(marker.length()).strip();
                    changed = true;
                    break;
                }
                if (lower.endsWith(marker)) {
                    s = s.substring(0, s.length() - marker.length()).strip();
                    changed = true;
                    break;
                }
            }
        }
        return s;
    }

    /** Digits with grouping and one decimal separator, optionally an exponent; {@code null} when malformed. */
    private static BigDecimal body(String s, DecimalMark mark) {
        if (s.isEmpty()) {
            return null;
        }
        String exponent = "0";
        int e = Math.max(s.indexOf('e'), s.indexOf('E'));
        if (e >= 0) {
            exponent = s.substring(e + 1);
            s = s.substring(0, e);
            int start = exponent.startsWith("+") || exponent.startsWith("-") ? 1 : 0;
            if (exponent.length() - start < 1 || exponent.length() - start > 4
                    || !isDigits(exponent, start, exponent.length())) {
                return null;
            }
        }
        int lastComma = s.lastIndexOf(',');
        int lastDot = s.lastIndexOf('.');
        boolean spaced = s.indexOf(' ') >= 0 || s.indexOf('\'') >= 0;
        int decimal = -1;
        if (mark != DecimalMark.UNSPECIFIED) {
            char separator = mark == DecimalMark.COMMA ? ',' : '.';
            decimal = s.lastIndexOf(separator);
            if (s.indexOf(separator) != decimal) {
                return null;
            }
        } else if (lastComma >= 0 && lastDot >= 0) {
            decimal = Math.max(lastComma, lastDot);
        } else if (lastComma >= 0) {
            boolean single = s.indexOf(',') == lastComma;
            if (single && (spaced || !looksLikeThousands(s, lastComma))) {
                decimal = lastComma;
            }
        } else if (lastDot >= 0 && s.indexOf('.') == lastDot) {
            decimal = lastDot;
        }
        String integer = decimal < 0 ? s : s.substring(0, decimal);
        String fraction = decimal < 0 ? "" : s.substring(decimal + 1);
        if (!isDigits(fraction, 0, fraction.length())) {
            return null;
        }
        String digits = groupedDigits(integer);
        if (digits == null || (digits.isEmpty() && fraction.isEmpty())) {
            return null;
        }
        try {
            return new BigDecimal((digits.isEmpty() ? "0" : digits) + (fraction.isEmpty() ? "" : "." + fraction)
                    + "E" + exponent);
        } catch (NumberFormatException ex) {
            return null;
        }
    }

    private static boolean looksLikeThousands(String s, int comma) {
        int before = comma;
        int after = s.length() - comma - 1;
        return after == 3 && before >= 1 && before <= 3 && s.charAt(0) != '0';
    }

    /** The digits of an integer part whose groups of three may be separated by {@code , . ' } or spaces. */
    private static String groupedDigits(String integer) {
        StringBuilder digits = new StringBuilder(integer.length());
        int group = 0;
        boolean grouped = false;
        for (int i = 0; i < integer.length(); i++) {
            char c = integer.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
                group++;
            } else if (c == ',' || c == '.' || c == ' ' || c == '\'') {
                if (group == 0 || (grouped && group != 3) || (!grouped && group > 3)) {
                    return null;
                }
                grouped = true;
                group = 0;
            } else {
                return null;
            }
        }
        if (grouped && group != 3) {
            return null;
        }
        return digits.toString();
    }

    static String abbreviate(String s) {
        String oneLine = s.replace('\n', ' ').replace('\r', ' ');
        return oneLine.length() <= 40 ? oneLine : oneLine.substring(0, 37) + "...";
    }
}
