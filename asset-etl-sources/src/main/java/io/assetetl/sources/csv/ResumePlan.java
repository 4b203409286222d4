package io.assetetl.sources.csv;

import java.util.Optional;

/**
 * What to read of a file given the last checkpoint: nothing (the file is unchanged since it was read to the end),
 * the appended part (the ingested prefix is byte for byte what it was), or everything (no checkpoint, or the file
 * was rewritten, truncated, re-encoded or its last unterminated line was extended).
 *
 * @param kind        what to do
 * @param offset      byte offset to start reading at
 * @param linesBefore line breaks before {@code offset}, so that line numbers continue where they stopped
 */
record ResumePlan(Kind kind, long offset, long linesBefore) {

    enum Kind { FROM_START, CONTINUE, UP_TO_DATE }

    static final ResumePlan FROM_START = new ResumePlan(Kind.FROM_START, 0, 0);

    /**
     * Decides from the checkpoint and a scan of the file taken with the checkpoint's offset as prefix.
     *
     * @param format the format the file would be read with now
     */
    static ResumePlan decide(Optional<CsvCheckpoint> checkpoint, FileScan scan, FileFormat format) {
        if (checkpoint.isEmpty()) {
            return FROM_START;
        }
        CsvCheckpoint c = checkpoint.get();
        if (c.offset() > scan.size() || !c.fileSha256().equals(scan.prefixSha256())
                || !Utf8OrWindows1252.readsAlike(c.encoding(), format.charset())
                || !c.delimiter().equals(format.delimiterText())) {
            return FROM_START;
        }
        if (c.offset() == scan.size()) {
            return new ResumePlan(Kind.UP_TO_DATE, c.offset(), c.line());
        }
        if (c.terminated()) {
            return new ResumePlan(Kind.CONTINUE, c.offset(), c.line());
        }
        int next = scan.byteAfterPrefix();
        if (next == '\n' || next == '\r') {
            // the unterminated last line got its line break: what follows is appended
            return new ResumePlan(Kind.CONTINUE, c.offset(), c.line() - 1);
        }
        return FROM_START;
    }
}
