package io.assetetl.sources.coingecko;

import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.Either;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The wait before retry number {@code n}: exponential backoff ({@code initial × 2^(n-1)}) with ±50% jitter, or the
 * server's {@code Retry-After} when that is longer, and never more than {@code maxWait} (a {@code Retry-After} beyond
 * it is not retried at all: {@code CoinGeckoClient}).
 */
final class Backoff implements IntervalBiFunction<Object> {

    private static final double MULTIPLIER = 2.0;
    private static final double JITTER = 0.5;

    private final Duration initial;
    private final Duration maxWait;
    private final DoubleSupplier random;

    /**
     * @param random values in [0, 1) that spread the jitter; a constant makes the waits predictable in tests
     */
    Backoff(Duration initial, Duration maxWait, DoubleSupplier random) {
        this.initial = initial;
        this.maxWait = maxWait;
        this.random = random;
    }

    /** The wait in milliseconds after failed attempt number {@code attempt} (1-based). */
    @Override
    public Long apply(Integer attempt, Either<Throwable, Object> outcome) {
        Duration retryAfter = outcome != null && outcome.isLeft() && outcome.getLeft() instanceof CallFailure f
                ? f.retryAfter().orElse(Duration.ZERO) : Duration.ZERO;
        return wait(attempt, retryAfter).toMillis();
    }

    Duration wait(int attempt, Duration retryAfter) {
        double exponential = initial.toMillis() * Math.pow(MULTIPLIER, Math.max(0, attempt - 1));
        double jittered = exponential * (1 - JITTER + 2 * JITTER * random.getAsDouble());
        long backoffMillis = (long) Math.min(jittered, (double) maxWait.toMillis());
        Duration wait = Duration.ofMillis(Math.max(backoffMillis, retryAfter.toMillis()));
        return wait.compareTo(maxWait) > 0 ? maxWait : wait;
    }
}
