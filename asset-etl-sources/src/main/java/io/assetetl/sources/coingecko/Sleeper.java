package io.assetetl.sources.coingecko;

import java.time.Duration;

/** Waits: between retries and for the rate limiter. Tests plug in one that records instead of sleeping. */
@FunctionalInterface
interface Sleeper {

    Sleeper REAL = duration -> {
        if (!duration.isZero() && !duration.isNegative()) {
            Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
        }
    };

    void sleep(Duration duration) throws InterruptedException;
}
