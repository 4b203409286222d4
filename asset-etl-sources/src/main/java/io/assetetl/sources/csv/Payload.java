package io.assetetl.sources.csv;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The raw payload of a CSV row: a JSON object keyed by the file's own headers, with the row's values as strings
 * ({@code null} for an empty cell or one missing from a short row). What the row needs beyond its cells to be
 * interpreted again later is kept under reserved keys starting with {@code _etl_}:
 * <ul>
 *   <li>{@value #OBSERVED_AT} — the instant used for a row without a timestamp (the file's modification time
 *       when it was read), so that {@code reprocess} gives the row the same {@code observed_at};</li>
 *   <li>{@value #PROBLEM} — why the row cannot be split into the file's fields (wrong column count);</li>
 *   <li>{@value #EXTRA} — the values beyond the last header of a long row;</li>
 *   <li>{@value #COLUMNS} — the row's keys in the file's order, for a file whose mapping to fields that order
 *       decides (two columns that name one field equally well, such as {@code price} and {@code Price}: the first
 *       is read). PostgreSQL keeps no key order in a jsonb object (it sorts keys by length, then bytes), but keeps
 *       an array's; a row stored without this key (every other file, and rows stored before it existed) is mapped
 *       from its keys in sort order, as rows always were.</li>
 * </ul>
 * Not thread-safe: one instance per reader.
 */
final class Payload {

    static final String RESERVED_PREFIX = "_etl_";
    static final String OBSERVED_AT = "_etl_observed_at";
    static final String PROBLEM = "_etl_problem";
    static final String EXTRA = "_etl_extra";
    static final String COLUMNS = "_etl_columns";

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private static final JsonStringEncoder QUOTE = JsonStringEncoder.getInstance();

    /** A key as {@link #keys} names a repeated header: the first one's key, {@code _} and a number from 2. */
    private static final Pattern REPEAT = Pattern.compile("(.+)_([2-9]|[1-9][0-9]+)");

    private final StringBuilder out = new StringBuilder(256);
    /** The keys {@link #quotedKeys} were quoted for: a reader passes the same list for every row of a file. */
    private List<String> quotedFor;
    /** Each key as a JSON string and its colon, quoted once per file rather than once a row. */
    private String[] quotedKeys;
    /** The {@value #COLUMNS} member of {@link #quotedFor}, made once per file. */
    private String columnsMember;

    /**
     * The payload keys of a header row: the headers trimmed, a blank one named {@code column_N} (1-based), a
     * repeated one suffixed {@code _2}, {@code _3}…, and one that starts with the reserved prefix escaped with a
     * further {@code _}, so that every key is distinct. {@link #firstOfRepeat} reads the suffixes back.
     */
    static List<String> keys(String[] headers) {
        List<String> keys = new ArrayList<>(headers.length);
        Set<String> used = new HashSet<>();
        for (int i = 0; i < headers.length; i++) {
            String key = headers[i] == null ? "" : headers[i].strip();
            if (key.isEmpty()) {
                key = "column_" + (i + 1);
            }
            if (key.startsWith(RESERVED_PREFIX)) {
                key = "_" + key;
            }
            String candidate = key;
            for (int n = 2; !used.add(candidate); n++) {
                candidate = key + "_" + n;
            }
            keys.add(candidate);
        }
        return List.copyOf(keys);
    }

    /**
     * The key of the first column of a repeated header, if {@code key} is the name {@link #keys} gives a repeat of
     * it: {@code price} for {@code price_2} when {@code keys} has {@code price}, for {@code price_3} when it also has
     * {@code price_2}, and for {@code price_2_2}, a repeat of a {@code price_2}. Only the keys are needed, so a row's
     * stored payload answers as its header line did. A header written {@code price_2} beside {@code price} answers
     * as a repeat too: the keys cannot tell the two apart.
     */
    static Optional<String> firstOfRepeat(String key, Set<String> keys) {
        Matcher m = REPEAT.matcher(key);
        if (!m.matches() || !keys.contains(m.group(1)) || m.group(2).length() > 9) {
            return Optional.empty();
        }
        String first = m.group(1);
        int n = Integer.parseInt(m.group(2));
        if (n > keys.size() || (n > 2 && !keys.contains(first + "_" + (n - 1)))) {
            return Optional.empty();
        }
        return Optional.of(firstOfRepeat(first, keys).orElse(first));
    }

    /**
     * The JSON text of a row. Written by hand around Jackson's string escaping, into one reused buffer: a generator
     * a row cost more than the rest of reading the row.
     *
     * @param withColumns whether to keep the order of {@code keys} ({@value #COLUMNS}), for a file whose mapping
     *                    depends on it
     */
    String write(List<String> keys, String[] values, String observedAt, String problem, boolean withColumns) {
        out.setLength(0);
        out.append('{');
        int size = keys.size();
        String[] quoted = quoted(keys);
        for (int i = 0; i < size; i++) {
            comma();
            out.append(quoted[i]);
            value(i < values.length ? values[i] : null);
        }
        if (values.length > size) {
            comma();
            string(EXTRA);
            out.append(":[");
            for (int i = size; i < values.length; i++) {
                if (i > size) {
                    out.append(',');
                }
                value(values[i]);
            }
            out.append(']');
        }
        if (withColumns) {
            comma();
            out.append(columnsMember);
        }
        if (observedAt != null) {
            comma();
            field(OBSERVED_AT, observedAt);
        }
        if (problem != null) {
            comma();
            field(PROBLEM, problem);
        }
        return out.append('}').toString();
    }

    private String[] quoted(List<String> keys) {
        if (keys != quotedFor) {
            quotedKeys = new String[keys.size()];
            StringBuilder columns = new StringBuilder("\"").append(COLUMNS).append("\":[");
            for (int i = 0; i < quotedKeys.length; i++) {
                String quoted = "\"" + new String(QUOTE.quoteAsString(keys.get(i))) + "\"";
                quotedKeys[i] = quoted + ":";
                columns.append(i > 0 ? "," : "").append(quoted);
            }
            columnsMember = columns.append(']').toString();
            quotedFor = keys;
        }
        return quotedKeys;
    }

    /** Separates a field from the one before it, if any. */
    private void comma() {
        if (out.length() > 1) {
            out.append(',');
        }
    }

    private void field(String key, String value) {
        string(key);
        out.append(':');
        value(value);
    }

    private void value(String value) {
        if (value == null) {
            out.append("null");
        } else {
            string(value);
        }
    }

    private void string(String value) {
        out.append('"');
        if (needsEscape(value)) {
            QUOTE.quoteAsString(value, out);
        } else {
            // most cells: appended whole rather than a character at a time
            out.append(value);
        }
        out.append('"');
    }

    /** Whether JSON needs {@code value} escaped: it holds a quote, a backslash or a control character. */
    private static boolean needsEscape(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                return true;
            }
        }
        return false;
    }

    /**
     * A stored payload read back.
     *
     * @param cells   header → value (reserved keys included, {@value #EXTRA} and {@value #COLUMNS} left out)
     * @param columns the keys in the file's order ({@value #COLUMNS}); empty when the row does not keep it
     */
    record Stored(Map<String, String> cells, List<String> columns) {
    }

    /** A stored payload's cells: {@link #parse}'s {@link Stored#cells}. */
    static Map<String, String> read(String payload) {
        return parse(payload).cells();
    }

    /**
     * A stored payload read back, its keys in any order (PostgreSQL returns a jsonb object's in its own).
     *
     * @throws IllegalArgumentException when {@code payload} is no JSON object
     */
    static Stored parse(String payload) {
        Map<String, String> cells = new LinkedHashMap<>();
        List<String> columns = new ArrayList<>();
        try (JsonParser p = JSON.createParser(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("a CSV payload is a JSON object");
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String key = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.START_ARRAY && key.equals(COLUMNS)) {
                    for (JsonToken c = p.nextToken(); c != JsonToken.END_ARRAY; c = p.nextToken()) {
                        if (c != JsonToken.VALUE_STRING) {
                            throw new IllegalArgumentException("not a CSV payload: " + COLUMNS + " holds a " + c);
                        }
                        columns.add(p.getText());
                    }
                } else if (value == JsonToken.START_ARRAY || value == JsonToken.START_OBJECT) {
                    p.skipChildren();
                } else if (value != JsonToken.VALUE_NULL) {
                    cells.put(key, p.getText());
                } else {
                    cells.put(key, null);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not a CSV payload: " + e.getMessage(), e);
        }
        return new Stored(cells, List.copyOf(columns));
    }
}
