package io.assetetl.sources.csv;

import io.assetetl.spi.InvalidSourceConfigException;
import java.util.Locale;

/**
 * Which character a file's numbers separate their decimals with, for numbers that read either way, such as
 * {@code 2.310} (2.31 with a decimal point, 2310 where the point groups thousands, as in {@code 87.000,50}) or
 * {@code 87,000}.
 */
public enum DecimalMark {
    /** A decimal point: {@code 2.310} is 2.31 and {@code 87,000} is 87000; a comma only groups digits. */
    POINT,
    /** A decimal comma: {@code 2.310} is 2310 and {@code 87,000} is 87; a point only groups digits. */
    COMMA,
    /**
     * Not configured: each cell is read by its own shape. A point alone, or a comma after points, is the decimal
     * mark; a single comma is one too, except after one to three digits and before exactly three ({@code 87,000}).
     */
    UNSPECIFIED;

    /** Parses a {@code decimal_mark} setting: {@code .} (or {@code point}) or {@code ,} (or {@code comma}). */
    public static DecimalMark parse(String setting) {
        switch (setting.strip().toLowerCase(Locale.ROOT)) {
            case ".", "point":
                return POINT;
            case ",", "comma":
                return COMMA;
            default:
                throw new InvalidSourceConfigException("setting 'decimal_mark' must be '.' or ',': " + setting);
        }
    }
}
