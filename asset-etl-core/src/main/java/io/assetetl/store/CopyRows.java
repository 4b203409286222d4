package io.assetetl.store;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.postgresql.copy.CopyIn;

/**
 * Builds the body of a {@code COPY … FROM STDIN} in PostgreSQL's text format: tab-separated columns, one row a
 * line, {@code \N} for null, backslash escapes for the characters the format reserves.
 */
final class CopyRows {

    private static final int MAX_CACHED_INSTANTS = 4096;

    private final StringBuilder out;
    private final Map<Instant, String> instants = new HashMap<>();
    private boolean rowStarted;

    CopyRows(int expectedRows) {
        this.out = new StringBuilder(Math.max(1024, Math.min(expectedRows, 4096) * 256));
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
        if (value == null) {
            out.append("\\N");
        } else {
            // a chunk's rows share few instants, and formatting one is dear
            out.append(instants.computeIfAbsent(value, Instant::toString));
            if (instants.size() > MAX_CACHED_INSTANTS) {
                instants.clear();
            }
        }
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

    /** Characters formatted and not yet drained. */
    int length() {
        return out.length();
    }

    /** Sends the rows formatted so far to {@code copy} and forgets them. */
    void drainTo(CopyIn copy) throws SQLException {
        if (out.length() > 0) {
            byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            out.setLength(0);
        }
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
