package io.assetetl.sources.csv;

import io.assetetl.spi.SourceException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Objects;

/**
 * A CSV source's file, opened once for a run: the scan, the header, the records and the checkpoints' hashes all read
 * this one channel, by position. A file replaced while a run reads it (a feed written to a temporary file and moved
 * over the old one, as careful writers do) is therefore read as it was when opened, whole: opened by path for each
 * of them, the checkpoint's hash was of the new content while the lines were of the old, and the next run continued
 * the new file from the old one's offset. {@link #stillAtPath()} tells whether the path still names this file.
 */
final class OpenFile implements AutoCloseable {

    /** Opening tries again this often when the path names another file after the open than before it. */
    private static final int OPEN_ATTEMPTS = 5;

    private final Path path;
    private final FileChannel channel;
    /** The file's identity (its device and inode), or null where the file system has none. */
    private final Object fileKey;

    private OpenFile(Path path, FileChannel channel, Object fileKey) {
        this.path = path;
        this.channel = channel;
        this.fileKey = fileKey;
    }

    /**
     * Opens the regular file {@code path} names, making sure that the channel is of the file the path names once it
     * is open.
     *
     * @throws SourceException when the file is missing, not a regular file, unreadable, or replaced at every try
     */
    static OpenFile open(Path path) {
        // checked before opening: opening a FIFO blocks until something writes to it, a directory is no CSV
        if (Files.exists(path) && !Files.isRegularFile(path)) {
            throw new SourceException("not a regular file: " + path);
        }
        try {
            for (int attempt = 0; attempt < OPEN_ATTEMPTS; attempt++) {
                Object before = fileKey(path);
                FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
                Object after;
                try {
                    after = fileKey(path);
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    throw e;
                }
                if (Objects.equals(before, after)) {
                    return new OpenFile(path, channel, after);
                }
                channel.close(); // replaced between the two looks: which one the channel has is unknown
            }
        } catch (NoSuchFileException e) {
            throw new SourceException("file not found: " + path + (path.isAbsolute() ? ""
                    : " (" + path.toAbsolutePath().normalize() + ": a relative path is read from the working"
                    + " directory)"));
        } catch (IOException e) {
            throw FileReadFailure.of(path, e);
        }
        throw new SourceException(path + " was replaced each of the " + OPEN_ATTEMPTS
                + " times it was opened; the next run tries again");
    }

    private static Object fileKey(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    }

    Path path() {
        return path;
    }

    /** Whether the path still names this file (always true where the file system gives files no identity). */
    boolean stillAtPath() {
        try {
            return fileKey == null || fileKey.equals(fileKey(path));
        } catch (IOException e) {
            return false; // removed, or no longer readable: another file may take its place
        }
    }

    /** The time the path's file was last modified; meaningful while {@link #stillAtPath()}. */
    Instant modifiedTime() {
        try {
            return Files.getLastModifiedTime(path).toInstant();
        } catch (IOException e) {
            throw new SourceException("cannot read the modification time of " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads bytes from {@code position} into {@code buffer}, as {@link FileChannel#read(ByteBuffer, long)}: the
     * channel's own position is not used, so readers of the file do not move each other.
     */
    int read(ByteBuffer buffer, long position) throws IOException {
        return channel.read(buffer, position);
    }

    /** The bytes {@code [from, to)} as a stream, which does not close the file when closed. */
    InputStream slice(long from, long to) {
        return new InputStream() {
            private long position = from;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (position >= to) {
                    return -1;
                }
                int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, to - position)), position);
                if (n > 0) {
                    position += n;
                }
                return n;
            }
        };
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing was written: closing a read channel cannot lose data
        }
    }
}
