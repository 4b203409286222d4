package io.assetetl.spi;

/**
 * A source failure that may succeed when tried again (HTTP 429 or 5xx, timeout, truncated body).
 */
public class RetriableSourceException extends SourceException {

    public RetriableSourceException(String message) {
        super(message);
    }

    public RetriableSourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
