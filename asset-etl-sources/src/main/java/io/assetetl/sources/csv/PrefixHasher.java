package io.assetetl.sources.csv;

import io.assetetl.spi.SourceException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The SHA-256 of ever longer prefixes of a file, for checkpoints: it digests each byte once, moving forward only.
 * The bytes the records' reader reads go through {@link #tap}, and are digested as that reader got them: a
 * checkpoint hashes the bytes its lines were read from, also when the file is written over in place while it is
 * read (read again from the file at each checkpoint, they were the new version's bytes under the old version's
 * lines, and the next run went on after them). Bytes the reader did not read through a tap (before it starts, a
 * line it skipped past by reading the file itself, and past the end it stops at, which only the check at the end
 * of a file needs) are read from the file. Not thread-safe.
 */
final class PrefixHasher {

    /** Bytes a tapped stream read, from offset {@code at} of the file. */
    private record Block(long at, byte[] bytes) {
        long end() {
            return at + bytes.length;
        }
    }

    private final OpenFile file;
    private final MessageDigest digest;
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
    /** The offset up to which the digest has seen the file. */
    private long position;
    /** The bytes the current tap read and the digest has not seen yet, in file order, none before {@link #position}. */
    private final ArrayDeque<Block> tapped = new ArrayDeque<>();
    /** The offset right after the last byte the current tap read. */
    private long received = -1;

    /** Starts at {@code offset} of {@code file} with a digest that has seen the bytes before it. */
    PrefixHasher(OpenFile file, MessageDigest digestAtOffset, long offset) {
        this.file = file;
        this.digest = digestAtOffset;
        this.position = offset;
    }

    /**
     * {@code in}, the bytes of the file from {@code from} on, as a stream that hands each byte it reads to this
     * hasher. A reader that starts again (after a line it skipped) taps its new stream; what an earlier tap read at
     * or after {@code from} is forgotten, as the reader reads it again.
     */
    InputStream tap(InputStream in, long from) {
        if (from < position) {
            throw new IllegalStateException("a hasher at " + position + " cannot tap bytes from " + from);
        }
        while (!tapped.isEmpty() && tapped.peekLast().end() > from) {
            Block last = tapped.removeLast();
            if (last.at() < from) {
                tapped.addLast(new Block(last.at(), Arrays.copyOf(last.bytes(), (int) (from - last.at()))));
            }
        }
        received = from;
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    received(new byte[] {(byte) b}, 0, 1);
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    received(b, off, n);
                }
                return n;
            }

            @Override
            public long skip(long n) {
                throw new UnsupportedOperationException("a tapped stream is read, not skipped");
            }
        };
    }

    /** Keeps bytes the tap read at {@link #received}, but for those the digest has seen already. */
    private void received(byte[] b, int off, int len) {
        long at = received;
        received += len;
        int skip = (int) Math.min(len, Math.max(0, position - at));
        if (skip < len) {
            tapped.addLast(new Block(at + skip, Arrays.copyOfRange(b, off + skip, off + len)));
        }
    }

    /**
     * Digests the file's bytes up to {@code offset} (the end of a record the reader returned), so that what is kept
     * of the tapped bytes stays within the reader's read-ahead.
     */
    void advance(long offset) {
        digestTo(offset);
    }

    /** SHA-256 (hex) of the file's first {@code offset} bytes; offsets must not decrease. */
    String sha256Of(long offset) {
        digestTo(offset);
        try {
            return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digest cannot be cloned", e);
        }
    }

    private void digestTo(long offset) {
        if (offset < position) {
            throw new IllegalArgumentException("prefix offsets must not decrease: " + offset + " < " + position);
        }
        while (position < offset) {
            Block next = tapped.peekFirst();
            if (next == null || next.at() > position) {
                digestFromFile(next == null ? offset : Math.min(offset, next.at()));
            } else {
                int from = (int) (position - next.at());
                int n = (int) Math.min(next.bytes().length - from, offset - position);
                digest.update(next.bytes(), from, n);
                position += n;
                if (position >= next.end()) {
                    tapped.removeFirst();
                }
            }
        }
        while (!tapped.isEmpty() && tapped.peekFirst().end() <= position) {
            tapped.removeFirst();
        }
    }

    private void digestFromFile(long offset) {
        try {
            while (position < offset) {
                buffer.clear();
                buffer.limit((int) Math.min(buffer.capacity(), offset - position));
                int n = file.read(buffer, position);
                if (n < 0) {
                    throw new SourceException(file.path().getFileName() + " became shorter while it was read");
                }
                digest.update(buffer.array(), 0, n);
                position += n;
            }
        } catch (IOException e) {
            throw FileReadFailure.of(file.path(), e);
        }
    }
}
