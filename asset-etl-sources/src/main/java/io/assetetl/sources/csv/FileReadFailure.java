package io.assetetl.sources.csv;

import io.assetetl.spi.SourceException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Path;

/** A CSV source's failure to read its file, worded as the run reports it. */
final class FileReadFailure {

    private FileReadFailure() {
    }

    /**
     * {@code cannot read PATH: why}, or {@code interrupted while reading PATH} when the run was stopped part way
     * through a read (the JDK's exception for that has no message).
     */
    static SourceException of(Path path, IOException e) {
        if (isInterrupt(e)) {
            return new SourceException("interrupted while reading " + path, e);
        }
        return new SourceException("cannot read " + path + ": "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
    }

    static boolean isInterrupt(Throwable e) {
        return e instanceof ClosedByInterruptException || e instanceof InterruptedIOException;
    }
}
