package io.assetetl.sources.csv;

import com.univocity.parsers.common.TextParsingException;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import io.assetetl.spi.SourceException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Streams the records of a delimited file with univocity-parsers, in constant memory, from any byte offset, and
 * tells for each record its physical line number and the byte offset right after it. This is the only class that
 * knows univocity: replacing the parser touches this file alone.
 *
 * <p>Line breaks may be {@code \n} or {@code \r\n} (mixed too); quoted values may span lines; the last line needs
 * no line break; blank lines (and, when the format says so, {@code #} comment lines) are skipped. A NUL character
 * in a value is replaced by U+FFFD, which PostgreSQL's {@code jsonb} can store. Not thread-safe.
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
     */
    record Record(String[] values, long line, long endOffset, long lastLine, boolean terminated, String problem) {
    }

    private final Path path;
    private final FileFormat format;
    private final long end;
    private CsvParser parser;
    private PositionTrackingReader input;
    private long consumedOffset;
    private long consumedLines;
    private boolean closed;

    private DelimitedFileReader(Path path, FileFormat format, long end) {
        this.path = path;
        this.format = format;
        this.end = end;
    }

    /**
     * Opens {@code path} for reading the bytes {@code [offset, end)}; at offset 0 the byte-order mark is skipped.
     *
     * @param linesBefore line breaks before {@code offset}
     */
    static DelimitedFileReader open(Path path, FileFormat format, long offset, long end, long linesBefore) {
        DelimitedFileReader reader = new DelimitedFileReader(path, format, end);
        reader.start(offset == 0 ? Math.min(format.bomLength(), end) : offset, linesBefore);
        return reader;
    }

    private void start(long offset, long linesBefore) {
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
            channel.position(offset);
        } catch (IOException e) {
            throw FileReadFailure.of(path, e);
        }
        CharsetDecoder decoder = format.charset().newDecoder();
        boolean utf8 = format.charset().equals(StandardCharsets.UTF_8);
        CodingErrorAction onError = utf8 ? CodingErrorAction.REPORT : CodingErrorAction.REPLACE;
        decoder.onMalformedInput(onError).onUnmappableCharacter(onError);
        InputStream bytes = new BoundedInput(Channels.newInputStream(channel), end - offset);
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
        s.getFormat().setComment(format.comments() ? '#' : '\0');
        s.setCommentProcessingEnabled(format.comments());
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
                return skipUnparseableLine(e);
            }
            if (values == null) {
                close();
                return null;
            }
            PositionTrackingReader.End recordEnd = input.endAt(parser.getContext().currentChar());
            long linesBefore = consumedLines;
            consumedOffset = recordEnd.offset();
            consumedLines = recordEnd.lastLine() - (recordEnd.terminated() ? 0 : 1);
            if (isBlank(values) || (format.comments() && isComment(values))) {
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
            // a quoted value left open to the end of the file holds its own final line break: never go back
            long firstLine = Math.max(linesBefore + 1, recordEnd.lastLine() - newlines);
            return new Record(values, firstLine, recordEnd.offset(), recordEnd.lastLine(), recordEnd.terminated(),
                    null);
        }
        return null;
    }

    /**
     * Turns the line the parser failed on (the first non-blank line after the last record) into a problem record
     * and restarts the parser after it, so that one bad line never ends the reading.
     */
    private Record skipUnparseableLine(RuntimeException cause) {
        parser.stopParsing();
        String problem = "line cannot be split into fields: " + describe(cause);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            long position = consumedOffset;
            long line = consumedLines + 1;
            boolean blank = true;
            boolean comment = false;
            channel.position(position);
            while (position < end) {
                buffer.clear();
                buffer.limit((int) Math.min(buffer.capacity(), end - position));
                int n = channel.read(buffer);
                if (n < 0) {
                    break;
                }
                for (int i = 0; i < n; i++) {
                    byte b = buffer.get(i);
                    position++;
                    if (b == '\n') {
                        if (!blank && !comment) {
                            start(position, line);
                            return new Record(new String[0], line, position, line, true, problem);
                        }
                        line++;
                        blank = true;
                        comment = false;
                    } else if (blank && (b & 0xFF) > ' ') {
                        blank = false;
                        comment = format.comments() && b == '#';
                    }
                }
            }
            close();
            return blank || comment ? null : new Record(new String[0], line, end, line, false, problem);
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

    /** A line whose first value starts with {@code #} (possibly indented): univocity only knows column-0 ones. */
    private static boolean isComment(String[] values) {
        return values[0] != null && values[0].startsWith("#");
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            parser.stopParsing();
        }
    }
}
