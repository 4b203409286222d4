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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Requests are paced by one client-side budget per process, measured by the server's arrival times. */
class CoinGeckoRateLimitIT {

    /** 600 a minute: one request slot every 100 ms, and 1% more. */
    private static final Duration SLOT = Duration.ofMillis(101);
    /** Arrival times carry a few milliseconds of scheduling noise. */
    private static final Duration NOISE = Duration.ofMillis(15);

    private final RecordingMetrics metrics = new RecordingMetrics();
    private final SourceContext context = new SourceContext(Clock.systemUTC(), metrics);
    private final CoinGeckoSourceFactory factory = new CoinGeckoSourceFactory();
    private FakeCoinGeckoServer server;

    /**
     * A JVM's first requests load the HTTP client's classes on their way out, and on a slow machine reach the server
     * 20 to 30 ms late, which shortens the gap to the next request by as much: the client is warmed up once,
     * against a server and a budget of its own, so that arrival times show the pacing alone.
     */
    @BeforeAll
    static void warmUpTheHttpClient() {
        try (FakeCoinGeckoServer warm = FakeCoinGeckoServer.start()
                .withFixture("coingecko/coins_markets_usd_per_page100_2026-04-30.json")) {
            SourceReading.readAll(new CoinGeckoSourceFactory(), "warm-up", SourceConfig.of(Map.of(
                    "base_url", warm.baseUrl(), "per_page", "10", "pages", "3", "rate_limit_per_minute", "60000")),
                    new SourceContext(Clock.systemUTC(), new RecordingMetrics()));
        }
    }

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
