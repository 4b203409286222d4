package io.assetetl.spi;

import java.time.Instant;
import java.util.Optional;

/**
 * A source failure that may succeed when tried again (HTTP 429 or 5xx, timeout, truncated body).
 *
 * <p>One that says {@link #notBefore() when} (an upstream's {@code Retry-After}) is kept with the failed run, and
 * a later run of the source, in this process or another, fails before then without opening the source. The engine
 * keeps a day after the failure at most, with a warning, should the instant be further ahead.
 */
public class RetriableSourceException extends SourceException {

    private final Instant notBefore;

    public RetriableSourceException(String message) {
        this(message, null, null);
    }

    public RetriableSourceException(String message, Throwable cause) {
        this(message, cause, null);
    }

    /** @param notBefore the instant before which the source must not be tried again, or {@code null} */
    public RetriableSourceException(String message, Throwable cause, Instant notBefore) {
        super(message, cause);
        this.notBefore = notBefore;
    }

    /** The instant before which the source must not be tried again, when the upstream asked for one. */
    public Optional<Instant> notBefore() {
        return Optional.ofNullable(notBefore);
    }
}
