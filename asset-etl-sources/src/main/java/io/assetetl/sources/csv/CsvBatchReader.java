package io.assetetl.sources.csv;

import io.assetetl.model.DriftEvent;
import io.assetetl.model.Interpretation;
import io.assetetl.model.RawRecord;
import io.assetetl.spi.Batch;
import io.assetetl.spi.SourceException;
import io.assetetl.spi.SourceReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a CSV file batch by batch: each record becomes a raw {@link RawRecord.FileLine} (keyed by the SHA-256 of
 * the file as scanned, the file's time for a file without a timestamp column, and the record's line number, so
 * re-reading the same file adds no raw row, while the same content sent again with another time, which dates its
 * rows otherwise, is stored again as what it is: another observation) and its interpretation; each batch ends with
 * the checkpoint after its last record. A batch ends after {@code batchSize} records, or earlier at the record that
 * brings it to {@code batchBytes} bytes of the file, so that a file of wide rows is read in more batches rather than
 * in batches too large for the heap. The drift events of the header mapping go with the first batch, which for a
 * file read from its top that has no row is a batch without records. While a writer may be part way through the
 * file's last row (a quoted value open to the end of the file, and the file changed less than {@link CsvSource#SETTLE}
 * ago), the reading ends before that row, for a later run to read once it is closed. Not thread-safe.
 */
final class CsvBatchReader implements SourceReader {

    private static final Logger LOG = LoggerFactory.getLogger(CsvBatchReader.class);

    private static final String OPEN_QUOTE = " (a quote left open takes the lines after it in until one closes it)";

    private final DelimitedFileReader records;
    private final List<String> keys;
    private final int[] columns;
    private final ColumnMapping mapping;
    /** Whether each row's payload keeps the order of {@link #keys}, which the mapping depends on. */
    private final boolean keepColumnOrder;
    private final RowInterpreter interpreter;
    private final Payload payload = new Payload();
    private final String fileSha256;
    /** The file's size when it was scanned: a read to its end checks that its bytes are still those scanned. */
    private final long scannedSize;
    /** The file's time, for rows of a file without a timestamp column; {@code null} when it has one. */
    private final String observedAtFallback;
    /** {@link #observedAtFallback} as the raw lines' {@link RawRecord.FileLine#fileTime()}. */
    private final Instant fileTime;
    private final PrefixHasher hasher;
    /** The file {@link #records} and {@link #hasher} read, closed with this reader. */
    private final OpenFile file;
    private final FileFormat format;
    private final int batchSize;
    private final int batchBytes;
    /** Whether the file has not changed for {@link CsvSource#SETTLE}: no writer is part way through its last row. */
    private final boolean settled;
    /** The stream of the file's checkpoints ({@link CsvSource#streamOf}). */
    private final String stream;
    /** Where the next batch starts in the file. */
    private long batchStart;
    /** The header, when the reading starts right after it, until the first batch is made; else null. */
    private DelimitedFileReader.Record header;
    private List<DriftEvent> pendingDrift;
    private boolean done;

    CsvBatchReader(DelimitedFileReader records, List<String> keys, ColumnMapping mapping, boolean keepColumnOrder,
            RowInterpreter interpreter, FileScan scan, String observedAtFallback, PrefixHasher hasher, OpenFile file,
            FileFormat format, long start, DelimitedFileReader.Record header, int batchSize, int batchBytes,
            boolean settled, String stream) {
        this.records = records;
        this.keys = keys;
        this.columns = mapping.columnIndexes(keys);
        this.mapping = mapping;
        this.keepColumnOrder = keepColumnOrder;
        this.interpreter = interpreter;
        this.fileSha256 = scan.sha256();
        this.scannedSize = scan.size();
        // a blank cell of a timestamp column is a row without a time (rejected), not one of the file's time
        this.observedAtFallback = mapping.header(Field.TIMESTAMP) == null ? observedAtFallback : null;
        this.fileTime = this.observedAtFallback == null ? null : Instant.parse(this.observedAtFallback);
        this.hasher = hasher;
        this.file = file;
        this.format = format;
        this.batchSize = batchSize;
        this.batchBytes = batchBytes;
        this.settled = settled;
        this.stream = stream;
        this.batchStart = start;
        this.header = header;
        this.pendingDrift = mapping.driftEvents();
    }

    /** A reader with nothing to read: the file is unchanged since it was read to the end. */
    static SourceReader exhausted() {
        return new SourceReader() {
            @Override
            public Optional<Batch> next() {
                return Optional.empty();
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public Optional<Batch> next() {
        if (done) {
            return Optional.empty();
        }
        List<Interpretation> batch = new ArrayList<>(Math.min(batchSize, 1 << 16));
        DelimitedFileReader.Record last = null;
        boolean ended = false;
        while (batch.size() < batchSize) {
            DelimitedFileReader.Record record = records.next();
            if (record == null || isBeingWritten(record)) {
                ended = true;
                break;
            }
            batch.add(interpret(record));
            hasher.advance(record.endOffset());
            last = record;
            if (record.endOffset() - batchStart >= batchBytes) {
                break;
            }
        }
        if (last == null && (header == null || pendingDrift.isEmpty())) {
            checkUnchangedSinceScanned();
            close();
            return Optional.empty();
        }
        if (last == null) {
            // a file of a header alone: its mapping's drift is recorded all the same, with a checkpoint after it
            last = header;
        }
        header = null;
        batchStart = last.endOffset();
        CsvCheckpoint checkpoint = new CsvCheckpoint(hasher.sha256Of(last.endOffset()), last.lastLine(),
                last.endOffset(), last.terminated(), format.charset().name(), format.delimiterText());
        if (ended) {
            checkUnchangedSinceScanned();
            close(); // after the hashes, which read the file
        }
        List<DriftEvent> drift = pendingDrift;
        pendingDrift = List.of();
        return Optional.of(new Batch(batch, drift, checkpoint.toCheckpoint(stream)));
    }

    /**
     * Fails the run when a read that reached the end of the file as scanned (which a read never passes) read other
     * bytes than the scan did (those past the end the reader stopped at are read from the file): the file was
     * written over in place while it was read (not replaced whole, which {@link OpenFile} reads as it was), so its
     * lines may mix two versions under the first one's hash. Its last batch is not returned. The batches before it
     * are kept, and their checkpoints hashed the bytes their lines were read from ({@link PrefixHasher#tap}), so the
     * next run goes on after the last of them only if the bytes before it are still those, and otherwise reads the
     * file from its first line.
     */
    private void checkUnchangedSinceScanned() {
        if (!hasher.sha256Of(scannedSize).equals(fileSha256)) {
            close();
            throw new SourceException(file.path().getFileName() + " was written over while it was read (its bytes"
                    + " are no longer those it had when the run began): the run stops before its last batch, and the"
                    + " next run reads the file again from its first line where the lines read before changed; write"
                    + " the file elsewhere and move it into place to have each run read one version");
        }
    }

    /**
     * Whether {@code record} is the file's last row with a quoted value a writer has not closed yet: a name with a
     * line break in it, written in two steps. Read now, it would be a reject, and the rest of it, written later, a
     * row of its own. A quote open to the end of a file that changed {@link CsvSource#SETTLE} ago or more, or one
     * that took whole rows in (a stray quote, whose rows a writer appending all the time would otherwise hold back
     * for good), is read as it is.
     */
    private boolean isBeingWritten(DelimitedFileReader.Record record) {
        if (!record.quoteOpen() || settled || record.problem() != null || holdsRows(record.values())) {
            return false;
        }
        LOG.info("the last row of {} (line {}) opens a quoted value that the file does not close yet, and the file"
                + " changed less than {} s ago: the row is left for a later run, which reads it once the value is"
                + " closed or once the file has not changed for {} s", file.path().getFileName(), record.line(),
                CsvSource.SETTLE.toSeconds(), CsvSource.SETTLE.toSeconds());
        return true;
    }

    private Interpretation interpret(DelimitedFileReader.Record record) {
        String[] values = record.values();
        String problem = record.problem();
        if (problem == null && values.length != keys.size() && !(values.length > keys.size() && onlyEmptyAfter(values, keys.size()))) {
            problem = "expected " + keys.size() + " fields, found " + values.length;
            if (record.lastLine() > record.line()) {
                // the lines after it that this row took in are not read as rows of their own: say which they are
                problem += "; the row runs over " + lines(record) + OPEN_QUOTE;
            }
        } else if (problem == null && record.lastLine() > record.line() && holdsRows(values)) {
            // a quote left open took whole rows into one value, and the fields after it came from the last of them
            problem = "a quoted value runs over " + lines(record) + " and holds rows of its own" + OPEN_QUOTE;
        }
        CsvRow row = mapping.row(values, columns, null, problem);
        String fallback = problem == null && interpreter.isAbsent(row.timestamp()) ? observedAtFallback : null;
        if (fallback != null) {
            row = mapping.row(values, columns, fallback, null);
        }
        String[] stored = problem == null && values.length > keys.size() ? Arrays.copyOf(values, keys.size())
                : values;
        RawRecord raw = new RawRecord.FileLine(fileSha256, fileTime, record.line(), payload.write(keys, stored,
                fallback, problem, keepColumnOrder));
        return interpreter.interpret(row, raw);
    }

    private static String lines(DelimitedFileReader.Record record) {
        return "lines " + record.line() + "-" + record.lastLine();
    }

    /**
     * Whether a value holds a line break followed by a line with a delimiter for each field of a row, or whose first
     * line holds delimiters for each field after it (the rest of its own row): what a quote left open takes in, as a
     * name with a line break in it ({@code "Doge\ncoin"}, which the CSV format allows) does not. The second tells a
     * stray quote on a file's last line, which takes in only part of the row after it when that row quotes a value
     * ({@code DOT,"Polkadot,7.1,…\nETH,"Ethereum",3300,…} is two values and the fields of ETH's line after them).
     */
    private boolean holdsRows(String[] values) {
        for (int v = 0; v < values.length; v++) {
            String value = values[v];
            int firstBreak = value == null ? -1 : value.indexOf('\n');
            if (firstBreak < 0) {
                continue;
            }
            int own = 0;
            for (int i = 0; i < firstBreak; i++) {
                if (value.charAt(i) == format.delimiter()) {
                    own++;
                }
            }
            if (own > 0 && v + own >= keys.size() - 1) {
                return true;
            }
            int delimiters = 0;
            for (int i = firstBreak + 1; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\n') {
                    delimiters = 0;
                } else if (c == format.delimiter() && ++delimiters >= Math.max(1, keys.size() - 1)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean onlyEmptyAfter(String[] values, int from) {
        for (int i = from; i < values.length; i++) {
            if (values[i] != null && !values[i].isEmpty()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        done = true;
        records.close();
        file.close();
    }
}
