package io.assetetl.sources.coingecko;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import feign.Client;
import feign.Request;
import feign.Response;
import io.assetetl.spi.SourceException;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A Retry-After another source of the budget is given while a call waits for its slot holds that call back too. */
class PacedClientTest {

    private static final Duration SLOT = Duration.ofSeconds(10);
    private static final Duration MAX_WAIT = Duration.ofSeconds(60);
    private static final Request REQUEST = Request.create(Request.HttpMethod.GET,
            "http://127.0.0.1/api/v3/coins/markets", Map.of(), null, StandardCharsets.UTF_8, null);

    private final AtomicInteger calls = new AtomicInteger();
    private final Client upstream = (request, options) -> {
        calls.incrementAndGet();
        return Response.builder().status(200).request(request).body("[]", StandardCharsets.UTF_8).build();
    };
    private final RateLimiter limiter = RateLimiter.of("test", RateLimiterConfig.custom()
            .limitForPeriod(2).limitRefreshPeriod(Duration.ofHours(1)).timeoutDuration(Duration.ZERO).build());
    /** The budget's last call was just made: the next waits a slot. */
    private final Spacing spacing = new Spacing(SLOT, System.nanoTime());
    private final List<Duration> waits = new CopyOnWriteArrayList<>();

    {
        spacing.reserve(System.nanoTime(), Long.MAX_VALUE, new Object());
    }

    /** A pacing sleeper that returns at once; while the first wait lasts, another source is given a hold. */
    private Sleeper holdingDuringTheFirstWait(Duration hold) {
        return duration -> {
            if (waits.isEmpty()) {
                spacing.holdUntil(System.nanoTime() + hold.toNanos());
            }
            waits.add(duration);
        };
    }

    private PacedClient client(Sleeper sleeper) {
        return new PacedClient(upstream, limiter, spacing, sleeper, new RecordingMetrics(), "coingecko", MAX_WAIT);
    }

    @Test
    void aRetryAfterGivenToOneSourceHoldsBackTheOthersOfItsBudgetButNotItself() throws Exception {
        List<Duration> ownWaits = new CopyOnWriteArrayList<>();
        PacedClient retrying = client(ownWaits::add);
        PacedClient other = client(waits::add);
        long before = System.nanoTime();

        retrying.holdOthersFor(Duration.ofSeconds(30));
        try (Response retry = retrying.execute(REQUEST, new Request.Options());
                Response first = other.execute(REQUEST, new Request.Options())) {
            assertThat(retry.status()).isEqualTo(200);
            assertThat(first.status()).isEqualTo(200);
        }

        assertThat(calls).hasValue(2);
        assertThat(ownWaits).singleElement().as("its slot alone").satisfies(wait -> assertThat(wait)
                .isPositive().isLessThanOrEqualTo(SLOT));
        assertThat(waits).singleElement().as("until the hold ends, later than a slot after the retry")
                .satisfies(wait -> assertThat(wait).isGreaterThan(Duration.ofSeconds(29).minusNanos(
                        System.nanoTime() - before)).isLessThanOrEqualTo(Duration.ofSeconds(30)));
    }

    @Test
    void aHoldBeyondTheMaximumWaitGivenWhileACallWaitsForItsSlotFailsTheCallWithoutMakingIt() {
        PacedClient client = client(holdingDuringTheFirstWait(Duration.ofHours(1)));

        assertThatThrownBy(() -> client.execute(REQUEST, new Request.Options()))
                .isInstanceOf(SourceException.class)
                .hasMessageStartingWith("CoinGecko asked for no call for another PT")
                .hasMessageEndingWith("longer than max_wait PT1M: not called, the next run tries again");
        assertThat(calls).hasValue(0);
        assertThat(waits).hasSize(1);
    }

    @Test
    void aHoldWithinTheMaximumWaitGivenWhileACallWaitsForItsSlotIsWaitedOutBeforeTheCall() throws Exception {
        PacedClient client = client(holdingDuringTheFirstWait(Duration.ofSeconds(30)));

        try (Response response = client.execute(REQUEST, new Request.Options())) {
            assertThat(response.status()).isEqualTo(200);
        }

        assertThat(calls).hasValue(1);
        assertThat(waits).hasSize(2);
        assertThat(waits.get(0)).isPositive().isLessThanOrEqualTo(SLOT);
        assertThat(waits.get(1)).as("until the hold ends, from when the first wait ended")
                .isGreaterThan(Duration.ofSeconds(29)).isLessThanOrEqualTo(Duration.ofSeconds(30));
    }
}
