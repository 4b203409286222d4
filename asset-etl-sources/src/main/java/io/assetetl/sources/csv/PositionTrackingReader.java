package io.assetetl.sources.csv;

import java.io.IOException;
import java.io.Reader;

/**
 * Hands characters to the parser with {@code \r\n} turned into {@code \n}, and remembers, for each line break it
 * handed out, the character position and the byte offset after it, until the parser has moved past it. So the
 * byte offset of any record end is known exactly, whatever the encoding and however far the parser reads ahead: in
 * UTF-8, from each character's own length; in other encodings, from the {@link LineFeedTap} the bytes came through.
 */
final class PositionTrackingReader extends Reader {

    record End(long offset, long lastLine, boolean terminated) {
    }

    private final Reader in;
    private final LineFeedTap tap;
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

    /**
     * A reader of UTF-8 text: each character's bytes are counted from the character.
     *
     * @param startOffset the byte offset {@code in} starts at
     * @param linesBefore line breaks before it
     */
    static PositionTrackingReader utf8(Reader in, long startOffset, long linesBefore) {
        return new PositionTrackingReader(in, startOffset, linesBefore, null);
    }

    /**
     * A reader of text in any other encoding, decoded from the bytes that came through {@code tap}: where each line
     * ends is taken from there.
     */
    static PositionTrackingReader tapped(Reader in, LineFeedTap tap, long linesBefore) {
        return new PositionTrackingReader(in, tap.position(), linesBefore, tap);
    }

    private PositionTrackingReader(Reader in, long startOffset, long linesBefore, LineFeedTap tap) {
        this.in = in;
        this.bytes = startOffset;
        this.lines = linesBefore;
        this.tap = tap;
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
            chars++;
            out[off + n++] = c;
            if (tap == null) {
                bytes += byteLength(c);
            } else if (c == '\n') {
                bytes = tap.nextLineEnd();
            }
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

    private static int byteLength(char c) {
        if (c < 0x80) {
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
        // after the last line feed: counted character by character in UTF-8; otherwise all the tap has seen
        return new End(tap == null ? bytes : tap.position(), lines + 1, false);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
