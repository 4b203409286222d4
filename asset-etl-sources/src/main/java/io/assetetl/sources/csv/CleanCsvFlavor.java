package io.assetetl.sources.csv;

import io.assetetl.model.DriftEvent;
import io.assetetl.spi.SourceException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clean {@code csv} format: UTF-8 (a byte-order mark is skipped; in a file that is not valid UTF-8, each byte
 * that is not is read as Windows-1252, with a warning, rather than failing the run: {@link Utf8OrWindows1252}),
 * comma-delimited, headers {@code symbol},
 * {@code name}, {@code price_usd} (or {@code price}), {@code market_cap_usd}, {@code volume_24h_usd},
 * {@code timestamp} in any order and case; other columns are kept in the raw payload and recorded as drift. A
 * field written in more than one column ({@code price_usd} twice, {@code price} and {@code Price}, or
 * {@code price_usd} and {@code price}) is read from the first column of its most preferred name
 * ({@link Field#exactNames}) in any case, {@code price_usd} before {@code price}; each other is a
 * {@value ColumnMapping#HEADER_DUPLICATE} drift event, kept in the raw payload.
 */
final class CleanCsvFlavor implements CsvFlavor {

    private static final Logger LOG = LoggerFactory.getLogger(CleanCsvFlavor.class);

    @Override
    public FileFormat format(Path path, FileScan scan) {
        if (!scan.validUtf8()) {
            LOG.warn("{} is not valid UTF-8 (first at byte {}); reading what is not UTF-8 as Windows-1252",
                    path.getFileName(), scan.firstInvalidUtf8());
            return new FileFormat(Utf8OrWindows1252.INSTANCE, scan.hasUtf8Bom() ? 3 : 0, ',', false);
        }
        return new FileFormat(StandardCharsets.UTF_8, scan.hasUtf8Bom() ? 3 : 0, ',', false);
    }

    @Override
    public ColumnMapping map(List<String> keys) {
        Map<Field, String> mapped = new EnumMap<>(Field.class);
        for (Field field : Field.values()) {
            for (String exact : field.exactNames()) {
                String hit = keys.stream().filter(k -> k.equalsIgnoreCase(exact)).findFirst().orElse(null);
                if (hit != null) {
                    mapped.put(field, hit);
                    break;
                }
            }
        }
        for (Field required : List.of(Field.SYMBOL, Field.PRICE)) {
            if (!mapped.containsKey(required)) {
                List<String> headers = keys.stream().filter(k -> !k.startsWith(Payload.RESERVED_PREFIX)).toList();
                throw new SourceException("the csv file has no '" + required.canonicalName() + "' column"
                        + (required == Field.PRICE ? " (nor 'price')" : "") + "; headers found "
                        + ColumnMapping.forMessage(headers) + otherDelimiter(headers)
                        + "; the csv_weird source maps other header names");
            }
        }
        return new ColumnMapping(mapped, false, List.of());
    }

    /** A hint when the only header holds another delimiter: the file is not comma-separated. */
    private static String otherDelimiter(List<String> headers) {
        if (headers.size() == 1) {
            for (char delimiter : DelimiterDetector.CANDIDATES) {
                if (delimiter != ',' && DelimiterDetector.occurrences(headers.get(0), delimiter) > 0) {
                    return "; the header line is separated by " + (delimiter == '\t' ? "tabs" : "'" + delimiter + "'")
                            + ", and the csv source reads commas only (csv_weird finds the delimiter)";
                }
            }
        }
        return "";
    }

    /**
     * Maps a file's header line: as {@link #map(List)}, and records what the file has beyond the format or lacks of
     * it, as {@code csv_weird} does: a repeated field ({@value ColumnMapping#HEADER_DUPLICATE}), each column that
     * names no field ({@code header_unmapped}, kept in the raw payload), and each field without a column
     * ({@code field_missing}; without a timestamp the rows are dated with the file's modification time).
     */
    @Override
    public ColumnMapping map(String[] headers, List<String> keys) {
        ColumnMapping mapping = map(keys);
        List<DriftEvent> drift = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            // the header as written: a repeated one has a renamed key (price_usd_2) that names no field
            String header = headers[i] == null ? "" : headers[i].strip();
            boolean repeat = false;
            for (Field field : Field.values()) {
                String read = mapping.header(field);
                if (read != null && !read.equals(keys.get(i))
                        && field.exactNames().stream().anyMatch(header::equalsIgnoreCase)) {
                    drift.add(new DriftEvent(ColumnMapping.HEADER_DUPLICATE, field.canonicalName(),
                            keys.get(i), 1.0, "ignored"));
                    repeat = true;
                }
            }
            if (!repeat && !mapping.headers().containsValue(keys.get(i))) {
                drift.add(ColumnMapping.unmapped(keys.get(i)));
            }
        }
        for (Field field : Field.values()) {
            if (mapping.header(field) == null) {
                drift.add(ColumnMapping.missing(field));
            }
        }
        return drift.isEmpty() ? mapping : new ColumnMapping(mapping.headers(), false, drift);
    }

    @Override
    public RowInterpreter newInterpreter() {
        return new CleanRowInterpreter();
    }
}
