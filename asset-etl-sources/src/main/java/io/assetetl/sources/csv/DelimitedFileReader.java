package io.assetetl.sources.csv;

import com.univocity.parsers.common.TextParsingException;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import io.assetetl.spi.SourceException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
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

    /** Upper bound of one value; a longer one (an unbalanced quote swallowing the file) fails the read. */
    static final int MAX_CHARS_PER_VALUE = 1 << 21;
    static final int MAX_COLUMNS = 2048;

    /**
     * One record.
     *
     * @param values     its values, trimmed; {@code null} for an empty unquoted value
     * @param line       physical line number of its first line (the file's first line is 1)
     * @param endOffset  byte offset right after it (after its line break, if it has one)
     * @param lastLine   physical line number of its last line
     * @param terminated whether it ended with a line break
     */
    record Record(String[] values, long line, long endOffset, long lastLine, boolean terminated) {
    }

    private final Path path;
    private final CsvParser parser;
    private final PositionTrackingReader input;
    private final boolean comments;
    private boolean closed;

    private DelimitedFileReader(Path path, CsvParser parser, PositionTrackingReader input, boolean comments) {
        this.path = path;
        this.parser = parser;
        this.input = input;
        this.comments = comments;
    }

    /**
     * Opens {@code path} for reading the bytes {@code [offset, end)}; at offset 0 the byte-order mark is skipped.
     *
     * @param linesBefore line breaks before {@code offset}
     */
    static DelimitedFileReader open(Path path, FileFormat format, long offset, long end, long linesBefore) {
        long start = offset == 0 ? Math.min(format.bomLength(), end) : offset;
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
            channel.position(start);
        } catch (IOException e) {
            throw new SourceException("cannot read " + path + ": " + e.getMessage(), e);
        }
        CharsetDecoder decoder = format.charset().newDecoder();
        boolean utf8 = format.charset().equals(StandardCharsets.UTF_8);
        CodingErrorAction onError = utf8 ? CodingErrorAction.REPORT : CodingErrorAction.REPLACE;
        decoder.onMalformedInput(onError).onUnmappableCharacter(onError);
        InputStream bytes = new BoundedInput(Channels.newInputStream(channel), end - start);
        PositionTrackingReader input = new PositionTrackingReader(new InputStreamReader(bytes, decoder), start,
                linesBefore, utf8);
        CsvParser parser = new CsvParser(settings(format));
        try {
            parser.beginParsing(input);
        } catch (TextParsingException e) {
            throw failure(path, linesBefore + 1, e);
        }
        return new DelimitedFileReader(path, parser, input, format.comments());
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
     * The next record, skipping blank and comment lines; {@code null} at the end.
     *
     * @throws SourceException when the file cannot be read or split into records at all
     */
    Record next() {
        while (!closed) {
            String[] values;
            try {
                values = parser.parseNext();
            } catch (TextParsingException e) {
                throw failure(path, input.linesDelivered() + 1, e);
            } catch (UncheckedIOException e) {
                throw new SourceException("cannot read " + path + ": " + e.getCause().getMessage(), e);
            }
            if (values == null) {
                close();
                return null;
            }
            if (isBlank(values) || (comments && isComment(values))) {
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
            PositionTrackingReader.End end = input.endAt(parser.getContext().currentChar());
            long firstLine = end.lastLine() - newlines;
            return new Record(values, firstLine, end.offset(), end.lastLine(), end.terminated());
        }
        return null;
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

    private static SourceException failure(Path path, long line, TextParsingException e) {
        String reason = e.getMessage() == null ? "unreadable" : e.getMessage().lines().findFirst().orElse("");
        if (reason.length() > 200) {
            reason = reason.substring(0, 200) + "...";
        }
        Throwable cause = e.getCause();
        if (cause instanceof java.nio.charset.CharacterCodingException) {
            reason = "the file is not valid " + "UTF-8";
        }
        return new SourceException("cannot parse " + path.getFileName() + " near line " + line + ": " + reason, e);
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
