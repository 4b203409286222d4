package io.assetetl.store.internal;

import io.assetetl.model.RawRecord;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A file as {@code raw_csv_files} keys it: its content and the time it gives its lines that carry none of their own
 * ({@link RawRecord.FileLine#fileTime()}). The same content sent again with another time dates its lines otherwise,
 * so it is another file, stored and replayed on its own; the same content with the same time is the same file, whose
 * lines are stored once. The time is kept to the microsecond, as PostgreSQL keeps it, so that two times the table
 * cannot tell apart name one file here too.
 *
 * @param sha256 SHA-256 (hex) of the file's content
 * @param time   the file's time, or {@code null} when its lines carry their own
 */
record RawFile(String sha256, Instant time) {

    /** The file {@code line} was read from. */
    static RawFile of(RawRecord.FileLine line) {
        return new RawFile(line.fileSha256(), micros(line.fileTime()));
    }

    /**
     * Whether {@code line} was read from this file. Checked for each line of a chunk: the lines of one file share
     * their hash and time instances, which are compared first.
     */
    boolean holds(RawRecord.FileLine line) {
        Instant lineTime = line.fileTime();
        return sha256.equals(line.fileSha256())
                && (lineTime == time || lineTime != null && time != null && time.equals(micros(lineTime)));
    }

    /** The time as bound to SQL (ISO-8601), or {@code null}. */
    String timeText() {
        return time == null ? null : time.toString();
    }

    private static Instant micros(Instant time) {
        return time == null ? null : time.truncatedTo(ChronoUnit.MICROS);
    }
}
