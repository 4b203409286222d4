package io.assetetl.sources.csv;

import static java.util.Objects.requireNonNull;

import java.nio.charset.Charset;

/**
 * How the bytes of a delimited file are to be read.
 *
 * @param charset   the character encoding: UTF-8, or {@link Utf8OrWindows1252} for a file that is not all UTF-8
 * @param bomLength bytes of byte-order mark at the start of the file, skipped
 * @param delimiter the field delimiter
 * @param comments  whether lines starting with {@code #} are comments
 */
record FileFormat(Charset charset, int bomLength, char delimiter, boolean comments) {

    FileFormat {
        requireNonNull(charset, "charset is null");
    }

    /** The delimiter as written in checkpoints: {@code ,} {@code ;} {@code |} or {@code \t}. */
    String delimiterText() {
        return String.valueOf(delimiter);
    }
}
