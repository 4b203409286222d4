package io.assetetl.sources.coingecko;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.core.functions.Either;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final Duration SECOND = Duration.ofSeconds(1);

    @Test
    void doublesTheWaitWithEachRetry() {
        Backoff backoff = new Backoff(SECOND, Duration.ofMinutes(5), () -> 0.5);

        assertThat(backoff.wait(1, Duration.ZERO)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.wait(2, Duration.ZERO)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.wait(3, Duration.ZERO)).isEqualTo(Duration.ofSeconds(4));
        assertThat(backoff.wait(5, Duration.ZERO)).isEqualTo(Duration.ofSeconds(16));
    }

    @Test
    void jitterSpreadsTheWaitByHalfEitherWay() {
        assertThat(new Backoff(SECOND, Duration.ofMinutes(5), () -> 0.0).wait(2, Duration.ZERO))
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(new Backoff(SECOND, Duration.ofMinutes(5), () -> 0.999).wait(2, Duration.ZERO))
                .isEqualTo(Duration.ofMillis(2998));
    }

    @Test
    void aLongerRetryAfterWinsOverTheBackoff() {
        Backoff backoff = new Backoff(SECOND, Duration.ofMinutes(5), () -> 0.5);

        assertThat(backoff.wait(1, Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.wait(4, Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void noWaitIsLongerThanTheMaximum() {
        Backoff backoff = new Backoff(SECOND, Duration.ofSeconds(10), () -> 0.999);

        assertThat(backoff.wait(30, Duration.ZERO)).isEqualTo(Duration.ofSeconds(10));
        assertThat(backoff.wait(1, Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void readsTheRetryAfterOfTheFailureResilience4jHandsIn() {
        Backoff backoff = new Backoff(SECOND, Duration.ofMinutes(1), () -> 0.5);

        assertThat(backoff.apply(1, Either.left(new CallFailure("429", Duration.ofSeconds(20))))).isEqualTo(20_000L);
        assertThat(backoff.apply(1, Either.left(new IllegalStateException("other")))).isEqualTo(1_000L);
    }
}
