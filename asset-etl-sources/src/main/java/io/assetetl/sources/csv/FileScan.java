package io.assetetl.sources.csv;

import io.assetetl.spi.SourceException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * One sequential pass over a file taken before parsing it: its size, the SHA-256 of its content and of a prefix
 * (the part a checkpoint says was ingested), its first bytes (for the byte-order mark and delimiter detection),
 * whether it is valid UTF-8, and where its last line feed is (to tell a last line still being written). The parse
 * then reads no further than {@link #size()}, so a file that is appended to while a run reads it is read as it was
 * when scanned.
 */
final class FileScan {

    static final int HEAD_BYTES = 64 * 1024;
    private static final int CHUNK = 1 << 20;
    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final long size;
    private final String sha256;
    private final long prefixLength;
    private final MessageDigest prefixDigest;
    private final int byteAtPrefixEnd;
    private final byte[] head;
    private final long firstInvalidUtf8;
    private final long lastLineBreakEnd;

    private FileScan(long size, String sha256, long prefixLength, MessageDigest prefixDigest, int byteAtPrefixEnd,
            byte[] head, long firstInvalidUtf8, long lastLineBreakEnd) {
        this.size = size;
        this.lastLineBreakEnd = lastLineBreakEnd;
        this.sha256 = sha256;
        this.prefixLength = prefixLength;
        this.prefixDigest = prefixDigest;
        this.byteAtPrefixEnd = byteAtPrefixEnd;
        this.head = head;
        this.firstInvalidUtf8 = firstInvalidUtf8;
    }

    /**
     * Scans {@code path}, remembering the digest state after its first {@code prefixLength} bytes (none when
     * negative or beyond the end).
     *
     * @throws SourceException when the file is missing, not a regular file or unreadable
     */
    static FileScan of(Path path, long prefixLength) {
        try (OpenFile file = OpenFile.open(path)) {
            return of(file, prefixLength);
        }
    }

    /**
     * Scans {@code file} from its first byte, remembering the digest state after its first {@code prefixLength}
     * bytes (none when negative or beyond the end).
     *
     * @throws SourceException when the file cannot be read
     */
    static FileScan of(OpenFile file, long prefixLength) {
        try {
            MessageDigest digest = newDigest();
            MessageDigest prefixDigest = prefixLength == 0 ? newDigest() : null;
            Utf8Validator utf8 = new Utf8Validator();
            ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
            byte[] array = buffer.array();
            byte[] head = null;
            int byteAtPrefixEnd = -1;
            long lastLineBreakEnd = 0;
            long position = 0;
            for (int read = file.read(buffer, 0); read >= 0; read = file.read(buffer, position)) {
                int length = buffer.position();
                if (head == null) {
                    head = Arrays.copyOf(array, Math.min(length, HEAD_BYTES));
                }
                if (prefixLength > position && prefixLength <= position + length) {
                    int upTo = (int) (prefixLength - position);
                    digest.update(array, 0, upTo);
                    prefixDigest = clone(digest);
                    digest.update(array, upTo, length - upTo);
                } else {
                    digest.update(array, 0, length);
                }
                if (prefixLength >= position && prefixLength < position + length) {
                    byteAtPrefixEnd = array[(int) (prefixLength - position)] & 0xFF;
                }
                utf8.update(array, 0, length);
                for (int i = length - 1; i >= 0; i--) {
                    if (array[i] == '\n') {
                        lastLineBreakEnd = position + i + 1;
                        break;
                    }
                }
                position += length;
                buffer.clear();
            }
            utf8.finish();
            return new FileScan(position, HexFormat.of().formatHex(digest.digest()), prefixLength,
                    prefixLength > position ? null : prefixDigest, byteAtPrefixEnd,
                    head == null ? new byte[0] : head, utf8.firstInvalid(), lastLineBreakEnd);
        } catch (IOException e) {
            throw FileReadFailure.of(file.path(), e);
        }
    }

    long size() {
        return size;
    }

    /** SHA-256 (hex) of the whole content. */
    String sha256() {
        return sha256;
    }

    /** SHA-256 (hex) of the first {@code prefixLength} bytes, if the file has that many. */
    String prefixSha256() {
        return prefixDigest == null ? null : HexFormat.of().formatHex(clone(prefixDigest).digest());
    }

    /** A digest that has seen the first {@code offset} bytes: {@code 0} or the scanned prefix length. */
    MessageDigest digestAfter(long offset) {
        if (offset == 0) {
            return newDigest();
        }
        if (offset != prefixLength || prefixDigest == null) {
            throw new IllegalArgumentException("no digest state at offset " + offset);
        }
        return clone(prefixDigest);
    }

    /** The offset right after the file's last line feed, or 0 when it has none: the size when its last line ends. */
    long lastLineBreakEnd() {
        return lastLineBreakEnd;
    }

    /** The byte right after the prefix, or -1 when the prefix reaches the end of the file. */
    int byteAfterPrefix() {
        return byteAtPrefixEnd;
    }

    /**
     * The UTF-16 or UTF-32 encoding the file's start shows, with how it shows it, if any: a byte-order mark
     * ({@code FF FE} is UTF-16LE, as spreadsheets export "Unicode text"), or, without one, UTF-16's zero byte beside
     * each ASCII character (every second byte of the first kilobyte zero, the others not).
     */
    Optional<String> wideUnicode() {
        int b0 = head.length > 0 ? head[0] & 0xFF : -1;
        int b1 = head.length > 1 ? head[1] & 0xFF : -1;
        boolean zeros = head.length > 3 && head[2] == 0 && head[3] == 0;
        if (b0 == 0xFF && b1 == 0xFE) {
            return Optional.of((zeros ? "UTF-32LE" : "UTF-16LE") + " text (its byte-order mark says so)");
        }
        if (b0 == 0xFE && b1 == 0xFF) {
            return Optional.of("UTF-16BE text (its byte-order mark says so)");
        }
        if (b0 == 0 && b1 == 0 && head.length > 3 && (head[2] & 0xFF) == 0xFE && (head[3] & 0xFF) == 0xFF) {
            return Optional.of("UTF-32BE text (its byte-order mark says so)");
        }
        int length = Math.min(head.length, 1024) & ~1;
        if (length < 8) {
            return Optional.empty();
        }
        int zeroEven = 0;
        int zeroOdd = 0;
        for (int i = 0; i < length; i += 2) {
            zeroEven += head[i] == 0 ? 1 : 0;
            zeroOdd += head[i + 1] == 0 ? 1 : 0;
        }
        int pairs = length / 2;
        if (zeroOdd * 10 >= pairs * 9 && zeroEven * 10 < pairs) {
            return Optional.of("UTF-16LE text without a byte-order mark (every second byte is zero)");
        }
        if (zeroEven * 10 >= pairs * 9 && zeroOdd * 10 < pairs) {
            return Optional.of("UTF-16BE text without a byte-order mark (every second byte is zero)");
        }
        return Optional.empty();
    }

    /**
     * Whether the file's start breaks its lines with carriage returns alone, as classic Mac OS and Excel's "CSV
     * (Macintosh)" write them: it holds a carriage return before its last byte and no line feed at all.
     */
    boolean breaksLinesWithCarriageReturnsAlone() {
        boolean carriageReturn = false;
        for (int i = 0; i < head.length; i++) {
            if (head[i] == '\n') {
                return false;
            }
            carriageReturn |= head[i] == '\r' && i + 1 < size;
        }
        return carriageReturn;
    }

    boolean hasUtf8Bom() {
        return head.length >= 3 && head[0] == UTF8_BOM[0] && head[1] == UTF8_BOM[1] && head[2] == UTF8_BOM[2];
    }

    boolean validUtf8() {
        return firstInvalidUtf8 < 0;
    }

    /** Offset of the first byte that is not valid UTF-8, or -1. */
    long firstInvalidUtf8() {
        return firstInvalidUtf8;
    }

    /** The first bytes of the file (up to {@link #HEAD_BYTES}). */
    byte[] head() {
        return head.clone();
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    private static MessageDigest clone(MessageDigest digest) {
        try {
            return (MessageDigest) digest.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digest cannot be cloned", e);
        }
    }
}
