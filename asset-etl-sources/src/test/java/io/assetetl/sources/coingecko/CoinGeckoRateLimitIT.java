package io.assetetl.sources.coingecko;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetetl.sources.coingecko.FakeCoinGeckoServer.RecordedRequest;
import io.assetetl.spi.SourceConfig;
import io.assetetl.spi.SourceContext;
import io.assetetl.testing.SourceReading;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Requests are paced by one client-side budget per process, measured by the server's arrival times. */
class CoinGeckoRateLimitIT {

    /** 600 a minute: one request slot every 100 ms. */
    private static final Duration SLOT = Duration.ofMillis(100);
    /** Arrival times carry a few milliseconds of scheduling noise. */
    private static final Duration NOISE = Duration.ofMillis(15);

    private final RecordingMetrics metrics = new RecordingMetrics();
    private final SourceContext context = new SourceContext(Clock.systemUTC(), metrics);
    private final CoinGeckoSourceFactory factory = new CoinGeckoSourceFactory();
    private FakeCoinGeckoServer server;

    @BeforeEach
    void startServer() {
        server = FakeCoinGeckoServer.start().withFixture("coingecko/coins_markets_usd_per_page100_2026-04-30.json");
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private SourceConfig config() {
        return SourceConfig.of(Map.of("base_url", server.baseUrl(), "per_page", "10", "pages", "6",
                "rate_limit_per_minute", "600"));
    }

    private int readAll() {
        return SourceReading.readAll(factory, "coingecko", config(), context).size();
    }

    /**
     * Any two consecutive requests are at least a slot apart, so no minute holds more than the budget, and n
     * requests span at least n - 1 slots.
     */
    private static void assertPaced(List<RecordedRequest> requests) {
        List<Long> arrivals = requests.stream().map(RecordedRequest::receivedNanos).sorted().toList();
        for (int i = 0; i + 1 < arrivals.size(); i++) {
            assertThat(Duration.ofNanos(arrivals.get(i + 1) - arrivals.get(i)))
                    .as("requests %d and %d", i, i + 1).isGreaterThanOrEqualTo(SLOT.minus(NOISE));
        }
        Duration span = Duration.ofNanos(arrivals.get(arrivals.size() - 1) - arrivals.get(0));
        assertThat(span).isGreaterThanOrEqualTo(SLOT.multipliedBy(arrivals.size() - 1).minus(NOISE));
    }

    @Test
    void oneSourceNeverExceedsItsBudget() {
        assertThat(readAll()).isEqualTo(6);

        assertPaced(server.marketRequests());
        assertThat(metrics.total("rate_limiter_waits", Map.of("source", "coingecko"))).isGreaterThanOrEqualTo(4);
        assertThat(metrics.durations("rate_limiter_wait")).isNotEmpty()
                .allSatisfy(d -> assertThat(d).isPositive().isLessThanOrEqualTo(SLOT.multipliedBy(2)));
    }

    @Test
    void sourcesReadingAtTheSameTimeShareOneBudget() {
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(this::readAll);
        CompletableFuture<Integer> second = CompletableFuture.supplyAsync(this::readAll);

        assertThat(first.join() + second.join()).isEqualTo(12);

        assertThat(server.marketRequests()).hasSize(12);
        assertPaced(server.marketRequests());
    }
}
