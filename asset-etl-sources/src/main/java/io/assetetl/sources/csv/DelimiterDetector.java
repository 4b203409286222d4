package io.assetetl.sources.csv;

/**
 * Picks the delimiter of a file from its first lines: among {@code ,} {@code ;} tab and {@code |}, the one that
 * appears in the header line and splits the following lines into as many fields most consistently (quotes
 * respected). A file whose header holds none of them has one column, and {@code ,} is as good as any.
 */
final class DelimiterDetector {

    static final char[] CANDIDATES = {',', ';', '\t', '|'};
    private static final int SAMPLE_LINES = 50;

    private DelimiterDetector() {
    }

    /** The delimiter of the text {@code head} (the start of the file), skipping blank and {@code #} lines. */
    static char detect(String head) {
        String[] lines = head.split("\r?\n", SAMPLE_LINES + 2);
        int header = -1;
        int count = Math.min(lines.length, SAMPLE_LINES + 1);
        for (int i = 0; i < count; i++) {
            if (isData(lines[i])) {
                header = i;
                break;
            }
        }
        if (header < 0) {
            return ',';
        }
        char best = ',';
        double bestConsistency = -1;
        int bestFields = 0;
        for (char candidate : CANDIDATES) {
            int expected = occurrences(lines[header], candidate);
            if (expected == 0) {
                continue;
            }
            int sampled = 0;
            int consistent = 0;
            // the last line of the sample may be cut short: leave it out
            for (int i = header + 1; i < count - 1; i++) {
                if (isData(lines[i])) {
                    sampled++;
                    if (occurrences(lines[i], candidate) == expected) {
                        consistent++;
                    }
                }
            }
            double consistency = sampled == 0 ? 1.0 : (double) consistent / sampled;
            if (consistency > bestConsistency || (consistency == bestConsistency && expected > bestFields)) {
                best = candidate;
                bestConsistency = consistency;
                bestFields = expected;
            }
        }
        return best;
    }

    /**
     * Whether a line is a header or a row rather than blank or a comment: a line starting with {@code #} is one only
     * when {@code #} alone or with a number (a rank column, a rank) is its first value, as {@link DelimitedFileReader}
     * reads them.
     */
    private static boolean isData(String line) {
        String s = line.strip();
        return !s.isEmpty() && !isComment(s, CANDIDATES);
    }

    /**
     * Whether a line (stripped, not blank) is a comment: it starts with {@code #}, and the {@code #} is not, with
     * the number after it if any, its first value before one of {@code delimiters}.
     */
    static boolean isComment(CharSequence s, char... delimiters) {
        if (s.charAt(0) != '#') {
            return false;
        }
        int i = 1;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        // what the parser trims before a delimiter, a tab that is not the delimiter among it
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            for (char delimiter : delimiters) {
                if (c == delimiter) {
                    return false;
                }
            }
            if (c > ' ') {
                return true;
            }
        }
        return true;
    }

    /** Occurrences of {@code delimiter} outside double quotes. */
    static int occurrences(String line, char delimiter) {
        int n = 0;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == delimiter && !quoted) {
                n++;
            }
        }
        return n;
    }
}
