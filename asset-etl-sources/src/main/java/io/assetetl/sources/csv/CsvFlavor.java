package io.assetetl.sources.csv;

import java.nio.file.Path;
import java.util.List;

/** What differs between the clean {@code csv} and the messy {@code csv_weird} source. */
interface CsvFlavor {

    /**
     * How to read the scanned file.
     *
     * @throws io.assetetl.spi.SourceException when the file cannot be read in this flavor at all
     */
    FileFormat format(Path path, FileScan scan);

    /**
     * Which payload key holds which field. Of keys that name a field alike ({@code price} and {@code Price}), the
     * first in {@code keys} does: pass them in the file's order (a stored row's, {@link Payload#COLUMNS}).
     *
     * @throws io.assetetl.spi.SourceException when a required field has no column
     */
    ColumnMapping map(List<String> keys);

    /**
     * Which payload key holds which field, for the header line of a file being read: {@link #map(List)} of its
     * keys, with drift events for what only the headers as written show (such as a repeated header, which
     * {@link Payload#keys} renames).
     *
     * @param headers the header line's values, as read
     * @param keys    {@link Payload#keys} of {@code headers}
     * @throws io.assetetl.spi.SourceException when a required field has no column
     */
    default ColumnMapping map(String[] headers, List<String> keys) {
        return map(keys);
    }

    /** A new interpreter of rows (interpreters are not thread-safe). */
    RowInterpreter newInterpreter();
}
