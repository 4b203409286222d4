package io.assetetl.sources.csv;

import io.assetetl.model.Checkpoint;
import io.assetetl.model.DriftEvent;
import io.assetetl.model.Interpretation;
import io.assetetl.model.RawRecord;
import io.assetetl.model.RejectReason;
import io.assetetl.model.Rejection;
import io.assetetl.spi.Source;
import io.assetetl.spi.SourceException;
import io.assetetl.spi.SourceReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CSV file as a source, in either flavor. Reading resumes from a checkpoint when the file only grew, reads
 * nothing when it is unchanged, and starts over when it was rewritten (see {@link ResumePlan}).
 *
 * <p>The rows of a file without a timestamp column are observed at the file's modification time (to the second)
 * when it was read; that instant is stored in each row's raw payload, so {@code reprocess} gives the row the same
 * time. It is also the raw lines' {@link RawRecord.FileLine#fileTime()}: the same content sent again with another
 * modification time (v1, v2, then v1 again) is a new observation, whose rows are stored again with their time and
 * replayed after the files read before it, as ingest loaded them; sent again with the same time (a copy that keeps
 * it) it stores and loads nothing new. A file unchanged since it was read to its end is not read again, whatever its
 * modification time ({@link ResumePlan}). In a file with a timestamp column, a row whose cell is blank is rejected
 * ({@code invalid_timestamp}).
 *
 * <p>Of two columns that hold the same field ({@code price} and {@code Price}), the first in the file is read. A
 * stored payload does not keep its keys' order (PostgreSQL's jsonb sorts them), and {@code reprocess} maps a row
 * from its keys in sort order; so the rows of a file whose mapping that order would change keep the file's order
 * ({@link Payload#COLUMNS}), and are mapped from it, as the file was.
 */
final class CsvSource implements Source {

    private static final Logger LOG = LoggerFactory.getLogger(CsvSource.class);
    private static final int MAPPING_CACHE = 16;

    private final String name;
    private final Path path;
    private final int batchSize;
    private final int batchBytes;
    private final CsvFlavor flavor;
    private final Clock clock;
    private final RowInterpreter interpreter;
    /** The stream of this file's checkpoints. */
    private final String stream;
    /** The mappings of stored rows, by their keys in the order they are mapped in. */
    private final Map<List<String>, ColumnMapping> mappings = new HashMap<>();

    /**
     * How long after its last change a file's last line without a line break is taken as complete. Until then the
     * line is left for a later run: read while a writer is part way through it, it would load values that were never
     * in the file (a price cut short, a date without its time).
     */
    static final Duration SETTLE = Duration.ofSeconds(10);

    /** A file replaced while it is scanned is scanned again, this often at most. */
    private static final int SCAN_ATTEMPTS = 3;

    CsvSource(String name, Path path, int batchSize, int batchBytes, CsvFlavor flavor, Clock clock) {
        this.name = name;
        this.clock = clock;
        this.path = path;
        this.batchSize = batchSize;
        this.batchBytes = batchBytes;
        this.flavor = flavor;
        this.interpreter = flavor.newInterpreter();
        this.stream = streamOf(path);
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * Continues after this file's own checkpoint: the source keeps one for each file it reads, in a stream of the
     * file's own ({@link #streamOf}), so that a run of another file ({@code ingest --file}) leaves this file's place
     * as it was. It read the lines appended since, where, with one checkpoint moved to the other file, it read this
     * file from its first line again, and stored under its grown content the lines its earlier content had stored
     * already. A file without a checkpoint of its own continues after the one checkpoint (stream
     * {@value Checkpoint#DEFAULT_STREAM}) that versions before kept, when that is a place in this file.
     */
    @Override
    public SourceReader open(Map<String, Checkpoint> checkpoints) {
        Checkpoint own = checkpoints.get(stream);
        return open(Optional.ofNullable(own != null ? own : checkpoints.get(Checkpoint.DEFAULT_STREAM)));
    }

    /**
     * The stream of {@code path}'s checkpoints: the file's name, {@code @} and the first 16 hex digits of the SHA-256
     * of its absolute path ({@code assets.csv@9f86d081884c7d65}), which tell the file apart from others of its name
     * without showing where it is (a source's settings stay private, and {@code /sources} lists its checkpoints); or,
     * for a name the engine could not store as a stream's (longer than {@link Checkpoint#MAX_STREAM_LENGTH}, or
     * holding a character PostgreSQL's text cannot), {@code path-sha256:} and the whole hash.
     */
    static String streamOf(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        String hash = HexFormat.of().formatHex(FileScan.newDigest().digest(
                absolute.toString().getBytes(StandardCharsets.UTF_8)));
        String name = absolute.getFileName() == null ? "" : absolute.getFileName().toString();
        String stream = name + "@" + hash.substring(0, 16);
        boolean storable = stream.length() <= Checkpoint.MAX_STREAM_LENGTH && stream.indexOf('\0') < 0
                && stream.equals(new String(stream.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
        return storable ? stream : "path-sha256:" + hash;
    }

    /** Reads the file from {@code checkpoint}, a place in this file or in another (then from its first line). */
    @Override
    public SourceReader open(Optional<Checkpoint> checkpoint) {
        Optional<CsvCheckpoint> last = checkpoint.flatMap(CsvCheckpoint::parse);
        if (checkpoint.isPresent() && last.isEmpty()) {
            LOG.warn("source {}: checkpoint {} is not a CSV position; reading {} from the start", name,
                    checkpoint.get().position(), path.getFileName());
        }
        for (int attempt = 1; ; attempt++) {
            OpenFile file = OpenFile.open(path);
            Optional<CsvBatchReader> reader = Optional.empty();
            try {
                FileScan scan = FileScan.of(file, last.map(CsvCheckpoint::offset).orElse(-1L));
                // read after the scan, so that a line appended during it counts as just written (SETTLE), and of
                // the scanned file only while the path still names it (a path that names no file any more is
                // opened again, which says the file is not found)
                Instant modified = file.stillAtPath() ? file.modifiedTime() : null;
                if (modified == null || !file.stillAtPath()) {
                    if (attempt < SCAN_ATTEMPTS) {
                        LOG.info("source {}: {} was replaced or removed while it was scanned; opening it again", name,
                                path.getFileName());
                        continue;
                    }
                    throw new SourceException(path + " was replaced each of the " + SCAN_ATTEMPTS + " times it was"
                            + " scanned; the next run tries again");
                }
                reader = read(file, scan, modified, last);
                return reader.isPresent() ? reader.get() : CsvBatchReader.exhausted();
            } finally {
                if (reader.isEmpty()) {
                    file.close();
                }
            }
        }
    }

    /** The records of {@code file} still to read, if any: the reader owns the file. */
    private Optional<CsvBatchReader> read(OpenFile file, FileScan scan, Instant modified,
            Optional<CsvCheckpoint> last) {
        scan.wideUnicode().ifPresent(encoding -> {
            throw new SourceException(path.getFileName() + " is " + encoding + ", which this source does not read;"
                    + " save it as UTF-8");
        });
        if (scan.breaksLinesWithCarriageReturnsAlone()) {
            // read as it is, the whole file would be one header line and the run would load nothing
            throw new SourceException(path.getFileName() + " ends its lines with a carriage return alone (classic Mac"
                    + " OS line breaks), which this source does not read; save it with LF or CRLF line breaks");
        }
        FileFormat format = flavor.format(path, scan);
        ResumePlan plan = ResumePlan.decide(last, scan, format);
        if (plan.kind() == ResumePlan.Kind.UP_TO_DATE) {
            LOG.info("source {}: {} is unchanged since it was read to line {}", name, path.getFileName(),
                    plan.linesBefore());
            return Optional.empty();
        }
        // one reading of the clock: the end read and the hold of an open last row agree on whether the file settled
        Duration since = Duration.between(modified, clock.instant());
        long end = readableEnd(scan, since);
        if (end == 0 && scan.size() > 0) {
            // no line has ended yet, not even the header's
            return Optional.empty();
        }
        DelimitedFileReader.Record header;
        try (DelimitedFileReader headerReader = DelimitedFileReader.open(file, format, 0, end, 0, false)) {
            header = headerReader.next();
        }
        if (header == null) {
            throw new SourceException(path.getFileName() + " is empty: it has no header line");
        }
        if (header.problem() != null) {
            throw new SourceException("the header line of " + path.getFileName() + " is unreadable: "
                    + header.problem());
        }
        List<String> keys = Payload.keys(header.values());
        ColumnMapping mapping = flavor.map(header.values(), keys);
        for (DriftEvent e : mapping.driftEvents()) {
            if (e.kind().startsWith("header_alias") || e.kind().startsWith("header_fuzzy")
                    || e.kind().equals("field_derived")) {
                LOG.warn("source {}: header '{}' of {} mapped to {} ({}, confidence {})", name, e.actual(),
                        path.getFileName(), e.expected(), e.kind(), e.confidence());
            } else if (e.kind().equals(ColumnMapping.HEADER_DUPLICATE)) {
                LOG.warn("source {}: {} has another {} column, '{}', besides '{}', which is read; it is kept in "
                        + "the raw payload and otherwise ignored ({})", name, path.getFileName(), e.expected(),
                        e.actual(), readFrom(mapping, e.expected()), e.kind());
            } else if (ColumnMapping.FILE_TIME_USED.equals(e.action())) {
                LOG.warn("source {}: {} has no timestamp column; its rows are dated with the time the file was last"
                        + " modified ({})", name, path.getFileName(), e.action());
            }
        }
        long start = plan.kind() == ResumePlan.Kind.CONTINUE ? plan.offset() : header.endOffset();
        long linesBefore = plan.kind() == ResumePlan.Kind.CONTINUE ? plan.linesBefore() : header.lastLine();
        if (plan.kind() == ResumePlan.Kind.CONTINUE) {
            LOG.info("source {}: continuing {} after line {} (the part read before is unchanged)", name, path.getFileName(),
                    plan.linesBefore());
        } else if (last.isPresent()) {
            // the engine logged the checkpoint it started from: say that it does not apply to this file
            LOG.info("source {}: reading {} from its first line: the checkpoint is of another file or of an earlier"
                    + " content of it (lines of this very content stored already are not stored again)", name,
                    path.getFileName());
        }
        PrefixHasher hasher = new PrefixHasher(file, scan.digestAfter(plan.kind() == ResumePlan.Kind.CONTINUE
                ? plan.offset() : 0), plan.kind() == ResumePlan.Kind.CONTINUE ? plan.offset() : 0);
        DelimitedFileReader records = DelimitedFileReader.open(file, format, start, Math.max(start, end),
                linesBefore, true, hasher);
        return Optional.of(new CsvBatchReader(records, keys, mapping, orderDecides(keys, mapping), interpreter,
                scan, modified.truncatedTo(ChronoUnit.SECONDS).toString(), hasher, file, format,
                start, plan.kind() == ResumePlan.Kind.CONTINUE ? null : header, batchSize, batchBytes,
                settled(since), stream));
    }

    /**
     * Whether the order of a file's keys decides its mapping: mapped in sort order, as {@link #interpret} maps a
     * stored row that does not keep the order, they would give other fields, or none.
     */
    private boolean orderDecides(List<String> keys, ColumnMapping mapping) {
        ColumnMapping sorted;
        try {
            sorted = flavor.map(keys.stream().sorted().toList());
        } catch (SourceException e) {
            return true;
        }
        return !sorted.headers().equals(mapping.headers()) || sorted.symbolFromName() != mapping.symbolFromName();
    }

    /**
     * The keys of a stored row in the order they are mapped in: the file's, if the row keeps it, else sort order.
     * A key the kept order lacks (which a row written here never has) comes after the others, in sort order.
     */
    private static List<String> mappingOrder(Set<String> keys, List<String> columns) {
        if (columns.isEmpty()) {
            return List.copyOf(new TreeSet<>(keys));
        }
        Set<String> order = new LinkedHashSet<>(columns);
        order.retainAll(keys);
        if (order.size() < keys.size()) {
            TreeSet<String> rest = new TreeSet<>(keys);
            rest.removeAll(order);
            order.addAll(rest);
        }
        return List.copyOf(order);
    }

    private static String readFrom(ColumnMapping mapping, String canonicalName) {
        for (Field field : Field.values()) {
            if (field.canonicalName().equals(canonicalName)) {
                return mapping.header(field);
            }
        }
        return null;
    }

    /**
     * Where reading the file stops: its end, or, while a writer may be part way through its last line (the line has
     * no line break and the file changed less than {@link #SETTLE} ago), the end of the line before it.
     */
    private long readableEnd(FileScan scan, Duration since) {
        long complete = scan.lastLineBreakEnd();
        if (complete == scan.size() || settled(since)) {
            return scan.size();
        }
        LOG.info("source {}: the last line of {} has no line break yet and the file changed {} ms ago: the line is"
                + " left for a later run, which reads it once it ends with a line break or once the file has not"
                + " changed for {} s", name, path.getFileName(), Math.max(0, since.toMillis()), SETTLE.toSeconds());
        return complete;
    }

    /** Whether a file that last changed {@code since} ago has not changed for {@link #SETTLE}. */
    private static boolean settled(Duration since) {
        return since.compareTo(SETTLE) >= 0;
    }

    @Override
    public Interpretation interpret(RawRecord raw) {
        if (!(raw instanceof RawRecord.FileLine)) {
            return Rejection.of(RejectReason.UNPARSEABLE_ROW, "not a line of a CSV file: " + raw.position(), raw);
        }
        Payload.Stored stored;
        try {
            stored = Payload.parse(raw.payload());
        } catch (IllegalArgumentException e) {
            return Rejection.of(RejectReason.UNPARSEABLE_ROW, "stored payload is not a CSV row", raw);
        }
        Map<String, String> cells = stored.cells();
        String fallback = cells.remove(Payload.OBSERVED_AT);
        String problem = cells.remove(Payload.PROBLEM);
        if (problem != null) {
            return interpreter.interpret(new CsvRow(null, null, null, null, null, null, fallback, problem), raw);
        }
        List<String> keys = mappingOrder(cells.keySet(), stored.columns());
        ColumnMapping mapping = mappings.get(keys);
        if (mapping == null) {
            if (mappings.size() >= MAPPING_CACHE) {
                mappings.clear();
            }
            mapping = flavor.map(keys);
            mappings.put(keys, mapping);
        }
        return interpreter.interpret(mapping.row(cells, fallback, null), raw);
    }
}
