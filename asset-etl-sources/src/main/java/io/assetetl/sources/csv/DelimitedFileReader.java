package io.assetetl.sources.csv;

import com.univocity.parsers.common.TextParsingException;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import io.assetetl.spi.SourceException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Streams the records of a delimited file with univocity-parsers, in constant memory, from any byte offset, and
 * tells for each record its physical line number and the byte offset right after it. This is the only class that
 * knows univocity: replacing the parser touches this file alone.
 *
 * <p>Line breaks may be {@code \n} or {@code \r\n} (mixed too); quoted values may span lines; the last line needs
 * no line break; blank lines (and, when the format says so, {@code #} comment lines) are skipped. A NUL character
 * in a value is replaced by U+FFFD, which PostgreSQL's {@code jsonb} can store. Not thread-safe.
 *
 * <p>A line that starts with {@code #} is not always a comment: exported tables name their rank column {@code #}
 * ({@code #,Name,Symbol,Price}) and some write the rank itself that way ({@code #1,Bitcoin,BTC,…}). Such a line is
 * read as a record when it is the header line and its first value is {@code #} alone, or, below the header, when
 * its first value is {@code #} and a number (a rank) followed by other values; a quoted value of such a record may
 * span lines, and a record of the wrong width is the caller's reject, as any other is. Any other is a comment, a row
 * commented out ({@code #Ethereum,ETH,…}) included; a comment that opens a quote it does not close on the same line
 * ends there: reading goes on with the line after it. {@link DelimiterDetector} tells such lines apart the same way.
 */
final class DelimitedFileReader implements AutoCloseable {

    /** Upper bound of one value; a longer one (an unbalanced quote swallowing the file) makes its line a reject. */
    static final int MAX_CHARS_PER_VALUE = 1 << 20;
    /** Upper bound of values per record; a wider record is a reject. */
    static final int MAX_COLUMNS = 2048;

    /**
     * One record.
     *
     * @param values     its values, trimmed; {@code null} for an empty unquoted value; empty when it could not be
     *                   split into values
     * @param line       physical line number of its first line (the file's first line is 1)
     * @param endOffset  byte offset right after it (after its line break, if it has one)
     * @param lastLine   physical line number of its last line
     * @param terminated whether it ended with a line break
     * @param problem    why the line could not be split into values (too wide, a value too long), or {@code null}
     * @param quoteOpen  whether a quoted value of it is still open where the input ends, after a line break of its
     *                   own, so that its last line break is a part of that value (a writer part way through a name
     *                   with a line break in it, or a stray quote); a record cut off without a line break is never
     *                   open, as the reader's input then ends at a settled file's end
     */
    record Record(String[] values, long line, long endOffset, long lastLine, boolean terminated, String problem,
            boolean quoteOpen) {
    }

    /** What {@link #skipUnparseableLine} returns when the line it skipped was a comment. */
    private static final Record COMMENT = new Record(new String[0], 0, 0, 0, false, "comment", false);

    private final OpenFile file;
    private final Path path;
    private final FileFormat format;
    private final long end;
    /** Whether the header has been read: it and the lines below it tell comments apart differently. */
    private boolean afterHeader;
    /** What every byte the parser reads is handed to, or null. */
    private PrefixHasher hasher;
    private CsvParser parser;
    private PositionTrackingReader input;
    private long consumedOffset;
    private long consumedLines;
    private boolean closed;

    private DelimitedFileReader(OpenFile file, FileFormat format, long end, boolean afterHeader) {
        this.file = file;
        this.path = file.path();
        this.format = format;
        this.end = end;
        this.afterHeader = afterHeader;
    }

    /**
     * Reads the bytes {@code [offset, end)} of {@code file}; at offset 0 the byte-order mark is skipped. Closing the
     * reader leaves the file open.
     *
     * @param linesBefore line breaks before {@code offset}
     * @param afterHeader whether {@code offset} is past the header line; if not, the first record read is the header
     */
    static DelimitedFileReader open(OpenFile file, FileFormat format, long offset, long end, long linesBefore,
            boolean afterHeader) {
        return open(file, format, offset, end, linesBefore, afterHeader, null);
    }

    /**
     * {@link #open(OpenFile, FileFormat, long, long, long, boolean)}, handing every byte it reads to {@code hasher}
     * (none when null), so that checkpoints hash the bytes the records were read from.
     */
    static DelimitedFileReader open(OpenFile file, FileFormat format, long offset, long end, long linesBefore,
            boolean afterHeader, PrefixHasher hasher) {
        DelimitedFileReader reader = new DelimitedFileReader(file, format, end, afterHeader);
        reader.hasher = hasher;
        reader.start(offset == 0 ? Math.min(format.bomLength(), end) : offset, linesBefore);
        return reader;
    }

    private void start(long offset, long linesBefore) {
        CharsetDecoder decoder = format.charset().newDecoder();
        boolean utf8 = format.charset().equals(StandardCharsets.UTF_8);
        CodingErrorAction onError = utf8 ? CodingErrorAction.REPORT : CodingErrorAction.REPLACE;
        decoder.onMalformedInput(onError).onUnmappableCharacter(onError);
        InputStream bytes = hasher == null ? file.slice(offset, end) : hasher.tap(file.slice(offset, end), offset);
        if (utf8) {
            input = PositionTrackingReader.utf8(new InputStreamReader(bytes, decoder), offset, linesBefore);
        } else {
            LineFeedTap tap = new LineFeedTap(bytes, offset);
            input = PositionTrackingReader.tapped(new InputStreamReader(tap, decoder), tap, linesBefore);
        }
        consumedOffset = offset;
        consumedLines = linesBefore;
        parser = new CsvParser(settings(format));
        parser.beginParsing(input);
    }

    private static CsvParserSettings settings(FileFormat format) {
        CsvParserSettings s = new CsvParserSettings();
        s.getFormat().setDelimiter(format.delimiter());
        s.getFormat().setQuote('"');
        s.getFormat().setQuoteEscape('"');
        s.getFormat().setLineSeparator("\n");
        s.getFormat().setNormalizedNewline('\n');
        // comment lines are told from records here (isComment), not by the parser, which skips every # line
        s.getFormat().setComment('\0');
        s.setCommentProcessingEnabled(false);
        s.setLineSeparatorDetectionEnabled(false);
        s.setHeaderExtractionEnabled(false);
        s.setSkipEmptyLines(false);
        s.setIgnoreLeadingWhitespaces(true);
        s.setIgnoreTrailingWhitespaces(true);
        s.setNullValue(null);
        s.setEmptyValue("");
        s.setReadInputOnSeparateThread(false);
        s.setInputBufferSize(64 * 1024);
        s.setMaxCharsPerColumn(MAX_CHARS_PER_VALUE);
        s.setMaxColumns(MAX_COLUMNS);
        s.setErrorContentLength(0);
        return s;
    }

    /**
     * The next record, skipping blank and comment lines; {@code null} at the end. A line the parser cannot split
     * (too many values, a value too long) comes back as a record with a {@link Record#problem()}, and reading
     * goes on with the next line.
     *
     * @throws SourceException when the file cannot be read
     */
    Record next() {
        while (!closed) {
            String[] values;
            try {
                values = parser.parseNext();
            } catch (TextParsingException | IllegalStateException | ArrayIndexOutOfBoundsException e) {
                if (isReadFailure(e)) {
                    Throwable root = root(e);
                    if (FileReadFailure.isInterrupt(root)) {
                        throw FileReadFailure.of(path, (IOException) root);
                    }
                    throw new SourceException("cannot read " + path + ": " + rootMessage(root), e);
                }
                Record skipped = skipUnparseableLine(e);
                if (skipped == COMMENT) {
                    continue;
                }
                return skipped;
            }
            if (values == null) {
                close();
                return null;
            }
            PositionTrackingReader.End recordEnd = input.endAt(parser.getContext().currentChar());
            long offsetBefore = consumedOffset;
            long linesBefore = consumedLines;
            consumedOffset = recordEnd.offset();
            consumedLines = recordEnd.lastLine() - (recordEnd.terminated() ? 0 : 1);
            if (isBlank(values)) {
                continue;
            }
            if (format.comments() && startsWithHash(values) && isComment(values)) {
                if (spansLines(values)) {
                    // a quote opened in a comment: the comment is its first line alone
                    skipLine(offsetBefore, linesBefore);
                }
                continue;
            }
            long newlines = 0;
            for (int i = 0; i < values.length; i++) {
                String v = values[i];
                if (v != null) {
                    if (v.indexOf('\n') >= 0) {
                        newlines += v.chars().filter(c -> c == '\n').count();
                    }
                    if (v.indexOf('\0') >= 0) {
                        values[i] = v.replace('\0', '\uFFFD');
                    }
                }
            }
            // a quoted value left open to the end of the file holds its own final line break: its values hold more
            // line breaks than the lines it took in after its first (only a record that ends where the input does
            // can be open; the offset check keeps any other from being taken for one)
            long firstLine = Math.max(linesBefore + 1, recordEnd.lastLine() - newlines);
            boolean quoteOpen = recordEnd.lastLine() - newlines < linesBefore + 1 && recordEnd.offset() >= end;
            afterHeader = true;
            return new Record(values, firstLine, recordEnd.offset(), recordEnd.lastLine(), recordEnd.terminated(),
                    null, quoteOpen);
        }
        return null;
    }

    /**
     * Turns the line the parser failed on (the first non-blank line after the last record) into a problem record
     * and restarts the parser after it, so that one bad line never ends the reading. When that line is a comment
     * (a quote it opened ran on past the parser's limits), returns {@link #COMMENT}; at the end, null.
     */
    private Record skipUnparseableLine(RuntimeException cause) {
        SkippedLine skipped = skipLine(consumedOffset, consumedLines);
        if (skipped == null) {
            return null;
        }
        if (skipped.comment() && format.comments()) {
            return COMMENT;
        }
        return new Record(new String[0], skipped.line(), skipped.endOffset(), skipped.line(), skipped.terminated(),
                "line cannot be split into fields: " + describe(cause), false);
    }

    /** A line {@link #skipLine} skipped; {@code comment} when it starts as a comment does. */
    private record SkippedLine(long line, long endOffset, boolean terminated, boolean comment) {
    }

    /**
     * Skips the first non-blank line from {@code offset} (where {@code linesBefore} line breaks precede) and
     * restarts the parser after it, or closes the reader when that line is the last; null when there is none.
     */
    private SkippedLine skipLine(long offset, long linesBefore) {
        parser.stopParsing();
        try {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            long position = offset;
            long line = linesBefore + 1;
            boolean blank = true;
            // the line's start from its first non-blank character, enough to tell a comment (ASCII)
            StringBuilder start = new StringBuilder();
            while (position < end) {
                buffer.clear();
                buffer.limit((int) Math.min(buffer.capacity(), end - position));
                int n = file.read(buffer, position);
                if (n < 0) {
                    break;
                }
                for (int i = 0; i < n; i++) {
                    byte b = buffer.get(i);
                    position++;
                    if (b == '\n') {
                        if (!blank) {
                            start(position, line);
                            return new SkippedLine(line, position, true, startsAsComment(start));
                        }
                        line++;
                    } else if (blank && (b & 0xFF) > ' ') {
                        blank = false;
                        start.append((char) (b & 0xFF));
                    } else if (!blank && start.length() < 32) {
                        start.append((char) (b & 0xFF));
                    }
                }
            }
            close();
            return blank ? null : new SkippedLine(line, end, false, startsAsComment(start));
        } catch (IOException e) {
            throw FileReadFailure.of(path, e);
        }
    }

    private static boolean isReadFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    private static Throwable root(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root;
    }

    private static String rootMessage(Throwable root) {
        if (root instanceof java.nio.charset.CharacterCodingException) {
            return "the file is not valid " + "UTF-8";
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static String describe(RuntimeException e) {
        String text = String.valueOf(e.getMessage());
        if (text.contains("maximum number of characters")) {
            return "a value is longer than " + MAX_CHARS_PER_VALUE + " characters";
        }
        if (text.contains("maximum number of columns") || e.getCause() instanceof ArrayIndexOutOfBoundsException
                || e instanceof ArrayIndexOutOfBoundsException) {
            return "more than " + MAX_COLUMNS + " fields";
        }
        String first = text.lines().findFirst().orElse("");
        return first.length() > 120 ? first.substring(0, 120) + "..." : first;
    }

    private static boolean isBlank(String[] values) {
        for (String v : values) {
            if (v != null && !v.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private boolean startsAsComment(CharSequence lineStart) {
        return DelimiterDetector.isComment(lineStart, format.delimiter());
    }

    /** Whether the first value starts with {@code #} (the line possibly indented). */
    private static boolean startsWithHash(String[] values) {
        return values[0] != null && values[0].startsWith("#");
    }

    private static boolean spansLines(String[] values) {
        for (String v : values) {
            if (v != null && v.indexOf('\n') >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether a record starting with {@code #} is a comment (see the class comment). */
    private boolean isComment(String[] values) {
        if (!afterHeader) {
            return !(values.length > 1 && values[0].equals("#"));
        }
        return values.length < 2 || !isRank(values[0]);
    }

    /** {@code #} followed by digits alone: a rank written with its sign. */
    private static boolean isRank(String value) {
        return value.length() > 1 && value.charAt(0) == '#' && ValueCleaner.isDigits(value, 1, value.length());
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            parser.stopParsing();
        }
    }
}
