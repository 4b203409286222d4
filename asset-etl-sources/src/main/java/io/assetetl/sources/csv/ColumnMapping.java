package io.assetetl.sources.csv;

import static java.util.Objects.requireNonNull;

import io.assetetl.model.DriftEvent;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Which header of a file holds which canonical field, and what was noticed while deciding it.
 *
 * @param headers         field → header; fields without a column are absent
 * @param symbolFromName  whether the symbol is read from the name column ({@code Bitcoin (BTC)}) for lack of a
 *                        symbol column
 * @param driftEvents     the non-exact mappings, duplicate and unmapped headers and missing fields
 */
record ColumnMapping(Map<Field, String> headers, boolean symbolFromName, List<DriftEvent> driftEvents) {

    /** Drift kind of a column that holds a field read from another column. */
    static final String HEADER_DUPLICATE = "header_duplicate";
    /** Drift kind of a column that names no field; it stays in the raw payload. */
    static final String HEADER_UNMAPPED = "header_unmapped";
    /** Drift kind of a field that no column holds. */
    static final String FIELD_MISSING = "field_missing";
    /** The action of a missing timestamp: rows are dated with the file's modification time. */
    static final String FILE_TIME_USED = "file_time_used";

    /** Headers a failure message lists at most, and characters it shows of each. */
    private static final int MESSAGE_HEADERS = 20;
    private static final int MESSAGE_HEADER_CHARS = 40;

    /**
     * {@code headers} as a failure message lists them: control characters (a binary file's first "line") shown as
     * {@code ?}, each header cut to {@value #MESSAGE_HEADER_CHARS} characters, at most {@value #MESSAGE_HEADERS}.
     */
    static String forMessage(List<String> headers) {
        List<String> shown = headers.stream().limit(MESSAGE_HEADERS).map(h -> {
            StringBuilder clean = new StringBuilder();
            h.codePoints().limit(MESSAGE_HEADER_CHARS).forEach(c -> clean.appendCodePoint(
                    Character.isISOControl(c) || c == '\uFFFD' ? '?' : c));
            return h.codePointCount(0, h.length()) > MESSAGE_HEADER_CHARS ? clean + "…" : clean.toString();
        }).toList();
        return shown + (headers.size() > MESSAGE_HEADERS ? " and " + (headers.size() - MESSAGE_HEADERS) + " more" : "");
    }

    /** The drift event of a column that names no field. */
    static DriftEvent unmapped(String header) {
        return new DriftEvent(HEADER_UNMAPPED, null, header, 1.0, "ignored");
    }

    /** The drift event of a field that no column holds. */
    static DriftEvent missing(Field field) {
        return new DriftEvent(FIELD_MISSING, field.canonicalName(), null, 1.0,
                field == Field.TIMESTAMP ? FILE_TIME_USED : "ignored");
    }

    ColumnMapping {
        headers = headers.isEmpty() ? Map.of() : new EnumMap<>(headers);
        driftEvents = List.copyOf(driftEvents);
    }

    /** The header of {@code field}, or {@code null}. */
    String header(Field field) {
        return headers.get(field);
    }

    /** For each field (by ordinal), the index of its column in {@code fileHeaders}, or -1. */
    int[] columnIndexes(List<String> fileHeaders) {
        int[] indexes = new int[Field.values().length];
        for (Field field : Field.values()) {
            String header = headers.get(field);
            indexes[field.ordinal()] = header == null ? -1 : fileHeaders.indexOf(header);
        }
        return indexes;
    }

    /** The row's cells by field, from the values of a record read in file order. */
    CsvRow row(String[] values, int[] indexes, String observedAtFallback, String problem) {
        return new CsvRow(cell(values, indexes, Field.SYMBOL), cell(values, indexes, Field.NAME),
                cell(values, indexes, Field.PRICE), cell(values, indexes, Field.MARKET_CAP),
                cell(values, indexes, Field.VOLUME_24H), cell(values, indexes, Field.TIMESTAMP),
                observedAtFallback, problem);
    }

    /** The row's cells by field, from a stored payload (header → value). */
    CsvRow row(Map<String, String> cells, String observedAtFallback, String problem) {
        requireNonNull(cells, "cells is null");
        return new CsvRow(cell(cells, Field.SYMBOL), cell(cells, Field.NAME), cell(cells, Field.PRICE),
                cell(cells, Field.MARKET_CAP), cell(cells, Field.VOLUME_24H), cell(cells, Field.TIMESTAMP),
                observedAtFallback, problem);
    }

    private static String cell(String[] values, int[] indexes, Field field) {
        int i = indexes[field.ordinal()];
        return i >= 0 && i < values.length ? values[i] : null;
    }

    private String cell(Map<String, String> cells, Field field) {
        String header = headers.get(field);
        return header == null ? null : cells.get(header);
    }
}
