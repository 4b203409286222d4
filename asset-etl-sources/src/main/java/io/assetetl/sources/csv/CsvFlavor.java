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
     * Which payload key holds which field.
     *
     * @throws io.assetetl.spi.SourceException when a required field has no column
     */
    ColumnMapping map(List<String> keys);

    /** A new interpreter of rows (interpreters are not thread-safe). */
    RowInterpreter newInterpreter();
}
