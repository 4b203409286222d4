package io.assetetl.store;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Builds the body of a {@code COPY … FROM STDIN} in PostgreSQL's text format: tab-separated columns, one row a
 * line, {@code \N} for null, backslash escapes for the characters the format reserves.
 */
final class CopyRows {

    private final StringBuilder out;
    private boolean rowStarted;

    CopyRows(int expectedRows) {
        this.out = new StringBuilder(Math.max(1024, expectedRows * 256));
    }

    CopyRows add(String value) {
        separator();
        if (value == null) {
            out.append("\\N");
            return this;
        }
        int n = value.length();
        int clean = 0;
        while (clean < n && plain(value.charAt(clean))) {
            clean++;
        }
        out.append(value, 0, clean);
        for (int i = clean; i < n; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\0' -> out.append('\uFFFD'); // PostgreSQL text cannot hold NUL
                default -> out.append(c);
            }
        }
        return this;
    }

    /** Adds a JSON text, replacing the escaped NUL that jsonb refuses. */
    CopyRows addJson(String json) {
        return add(json == null || json.indexOf("\\u0000") < 0 ? json : json.replace("\\u0000", "\\uFFFD"));
    }

    CopyRows add(long value) {
        separator();
        out.append(value);
        return this;
    }

    CopyRows add(BigDecimal value) {
        separator();
        out.append(value == null ? "\\N" : value.toPlainString());
        return this;
    }

    CopyRows add(Instant value) {
        separator();
        out.append(value == null ? "\\N" : value.toString());
        return this;
    }

    CopyRows add(Boolean value) {
        separator();
        out.append(value == null ? "\\N" : value ? "t" : "f");
        return this;
    }

    void endRow() {
        out.append('\n');
        rowStarted = false;
    }

    String body() {
        return out.toString();
    }

    private static boolean plain(char c) {
        return c > '\\' || (c >= ' ' && c != '\\');
    }

    private void separator() {
        if (rowStarted) {
            out.append('\t');
        }
        rowStarted = true;
    }
}
