package io.assetetl.sources.csv;

import io.assetetl.spi.SourceException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The SHA-256 of ever longer prefixes of a file, for checkpoints: it reads each byte once, moving forward only.
 * Not thread-safe.
 */
final class PrefixHasher {

    private final OpenFile file;
    private final MessageDigest digest;
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
    private long position;

    /** Starts at {@code offset} of {@code file} with a digest that has seen the bytes before it. */
    PrefixHasher(OpenFile file, MessageDigest digestAtOffset, long offset) {
        this.file = file;
        this.digest = digestAtOffset;
        this.position = offset;
    }

    /** SHA-256 (hex) of the file's first {@code offset} bytes; offsets must not decrease. */
    String sha256Of(long offset) {
        if (offset < position) {
            throw new IllegalArgumentException("prefix offsets must not decrease: " + offset + " < " + position);
        }
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
            return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
        } catch (IOException e) {
            throw FileReadFailure.of(file.path(), e);
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digest cannot be cloned", e);
        }
    }
}
