package io.assetetl.sources.coingecko;

import io.assetetl.spi.RetriableSourceException;
import java.time.Duration;
import java.util.Optional;

/**
 * A CoinGecko call that failed in a way worth trying again: 429, 5xx, a timeout, an unreadable body. The message
 * never holds the API key.
 */
final class CallFailure extends RetriableSourceException {

    private final transient Duration retryAfter;

    CallFailure(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    CallFailure(String message, Throwable cause) {
        super(message, cause);
        this.retryAfter = null;
    }

    /** How long the server asked us to wait ({@code Retry-After}), if it did. */
    Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
