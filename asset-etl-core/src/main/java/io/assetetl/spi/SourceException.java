package io.assetetl.spi;

/**
 * An infrastructure failure of a source (input unreadable, upstream unavailable): the run fails with this
 * exception's message as its error. Messages must never contain secrets.
 */
public class SourceException extends RuntimeException {

    public SourceException(String message) {
        super(message);
    }

    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
