package io.assetetl.sources.csv;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;

/**
 * Notes the byte offset after each line feed ({@code 0A}) that passes through it, for a reader whose characters do
 * not tell how many bytes they were read from ({@link Utf8OrWindows1252} reads {@code é} from two bytes or from
 * one). In UTF-8 and in Windows-1252 alike, the byte {@code 0A} is a line feed wherever it is and every line feed
 * is that byte, so the n-th line feed a decoder hands out is the n-th one that passed here. Single-byte reads are
 * not supported: readers of this stream read into arrays.
 */
final class LineFeedTap extends FilterInputStream {

    private final ArrayDeque<Long> ends = new ArrayDeque<>();
    private long position;

    LineFeedTap(InputStream in, long startOffset) {
        super(in);
        this.position = startOffset;
    }

    @Override
    public int read() {
        throw new UnsupportedOperationException("read into an array");
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        for (int i = 0; i < n; i++) {
            if (b[off + i] == '\n') {
                ends.addLast(position + i + 1);
            }
        }
        if (n > 0) {
            position += n;
        }
        return n;
    }

    @Override
    public long skip(long n) {
        throw new UnsupportedOperationException("skipped bytes would not be seen");
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** The byte offset after the oldest line feed not asked for yet. */
    long nextLineEnd() {
        Long end = ends.pollFirst();
        if (end == null) {
            throw new IllegalStateException("a line feed was decoded that did not pass through this stream");
        }
        return end;
    }

    /** The offset after the last byte read. */
    long position() {
        return position;
    }
}
