package io.assetetl.sources.csv;

/**
 * The cells of one CSV row that matter, by canonical field, as read (not yet cleaned); any may be {@code null}.
 *
 * @param observedAtFallback the ISO instant to use when the row has no timestamp, or {@code null}
 * @param problem            why the row cannot be split into the file's fields (wrong column count), or
 *                           {@code null}
 */
record CsvRow(String symbol, String name, String price, String marketCap, String volume24h, String timestamp,
        String observedAtFallback, String problem) {
}
