package io.assetetl.sources.csv;

import com.univocity.parsers.common.TextParsingException;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import io.assetetl.spi.SourceException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

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
            throw new SourceException("cannot read " + path + ": " + e.getMessage(), e);
        }
        CharsetDecoder decoder = format.charset().newDecoder();
        boolean utf8 = format.charset().equals(StandardCharsets.UTF_8);
        CodingErrorAction onError = utf8 ? CodingErrorAction.REPORT : CodingErrorAction.REPLACE;
        decoder.onMalformedInput(onError).onUnmappableCharacter(onError);
        InputStream bytes = new BoundedInput(Channels.newInputStream(channel), end - offset);
        input = new PositionTrackingReader(new InputStreamReader(bytes, decoder), offset, linesBefore, utf8);
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
                    throw new SourceException("cannot read " + path + ": " + rootMessage(e), e);
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
            throw new SourceException("cannot read " + path + ": " + e.getMessage(), e);
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

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
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

    /** At most {@code remaining} bytes of an input. */
    private static final class BoundedInput extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedInput(InputStream in, long remaining) {
            this.in = in;
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /**
     * Hands characters to the parser with {@code \r\n} turned into {@code \n}, and remembers, for each line break it
     * handed out, the character position and the byte offset after it, until the parser has moved past it. So the
     * byte offset of any record end is known exactly, whatever the encoding and however far the parser reads ahead.
     */
    static final class PositionTrackingReader extends Reader {

        record End(long offset, long lastLine, boolean terminated) {
        }

        private final Reader in;
        private final boolean utf8;
        private final char[] buffer = new char[16 * 1024];
        private int bufferPos;
        private int bufferEnd;
        private boolean eof;
        private long bytes;
        private long chars;
        private long lines;
        private long[] breakChars = new long[256];
        private long[] breakBytes = new long[256];
        private int head;
        private int size;

        PositionTrackingReader(Reader in, long startOffset, long linesBefore, boolean utf8) {
            this.in = in;
            this.bytes = startOffset;
            this.lines = linesBefore;
            this.utf8 = utf8;
        }

        long linesDelivered() {
            return lines;
        }

        @Override
        public int read(char[] out, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int n = 0;
            while (n < len) {
                if (bufferPos == bufferEnd && !fill()) {
                    break;
                }
                char c = buffer[bufferPos];
                if (c == '\r') {
                    if (bufferPos + 1 == bufferEnd && !eof) {
                        if (n > 0) {
                            break;
                        }
                        // keep the \r and read on, to see whether a \n follows
                        System.arraycopy(buffer, bufferPos, buffer, 0, 1);
                        bufferPos = 0;
                        bufferEnd = 1;
                        if (!fillAfter()) {
                            eof = true;
                        }
                        continue;
                    }
                    if (bufferPos + 1 < bufferEnd && buffer[bufferPos + 1] == '\n') {
                        bytes++;
                        bufferPos++;
                        continue;
                    }
                }
                bufferPos++;
                bytes += byteLength(c);
                chars++;
                out[off + n++] = c;
                if (c == '\n') {
                    lines++;
                    remember(chars, bytes);
                }
            }
            return n == 0 ? -1 : n;
        }

        private boolean fill() throws IOException {
            if (eof) {
                return false;
            }
            int n = in.read(buffer, 0, buffer.length);
            if (n < 0) {
                eof = true;
                return false;
            }
            bufferPos = 0;
            bufferEnd = n;
            return true;
        }

        /** Reads more after the one character kept at the start of the buffer; false at the end of input. */
        private boolean fillAfter() throws IOException {
            int n;
            do {
                n = in.read(buffer, 1, buffer.length - 1);
            } while (n == 0);
            if (n < 0) {
                return false;
            }
            bufferEnd = 1 + n;
            return true;
        }

        private int byteLength(char c) {
            if (!utf8 || c < 0x80) {
                return 1;
            }
            if (c < 0x800 || Character.isSurrogate(c)) {
                return 2;
            }
            return 3;
        }

        private void remember(long charPosition, long byteOffset) {
            if (size == breakChars.length) {
                long[] c = new long[size * 2];
                long[] b = new long[size * 2];
                for (int i = 0; i < size; i++) {
                    c[i] = breakChars[(head + i) % size];
                    b[i] = breakBytes[(head + i) % size];
                }
                breakChars = c;
                breakBytes = b;
                head = 0;
            }
            int tail = (head + size) % breakChars.length;
            breakChars[tail] = charPosition;
            breakBytes[tail] = byteOffset;
            size++;
        }

        /**
         * Where a record that ends after {@code charPosition} characters ends in bytes and lines. Forgets the
         * line breaks before it: positions must be asked in increasing order.
         */
        End endAt(long charPosition) {
            long breaksSeen = lines - size;
            while (size > 0 && breakChars[head] < charPosition) {
                head = (head + 1) % breakChars.length;
                size--;
                breaksSeen++;
            }
            if (size > 0 && breakChars[head] == charPosition) {
                return new End(breakBytes[head], breaksSeen + 1, true);
            }
            if (charPosition != chars || !eof || bufferPos != bufferEnd) {
                throw new IllegalStateException("record end at character " + charPosition
                        + " is neither a line break nor the end of input (" + chars + " characters read)");
            }
            return new End(bytes, lines + 1, false);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }

        @Override
        public String toString() {
            return "PositionTrackingReader" + Arrays.toString(new long[] {bytes, chars, lines});
        }
    }
}
