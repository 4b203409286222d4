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

/**
 * Requests are paced by one client-side budget per process, measured by the server's arrival times. A request reaches
 * the server some time after the client let it go, never before, and by how much later varies (a collection, a busy
 * core): the gap between two arrivals shrinks by however late the first of them came, so it says little. What holds
 * however late any request is: the k-th request to arrive (counting from 0) came at least k of the budget's slots
 * after the read began, which is what "no more calls than the budget in any stretch from the start" means.
 */
class CoinGeckoRateLimitIT {

    /**
     * 300 a minute: a slot is 200 ms, and the client keeps 1% more between its calls. Slots this long leave most
     * calls of a read waiting for theirs, however slowly the machine answers the one before.
     */
    private static final Duration SLOT = Duration.ofMillis(200);

    private final RecordingMetrics metrics = new RecordingMetrics();
    private final SourceContext context = new SourceContext(Clock.systemUTC(), metrics);
    private final CoinGeckoSourceFactory factory = new CoinGeckoSourceFactory();
    private FakeCoinGeckoServer server;

    /**
     * A JVM's first call loads the HTTP client's classes on its way out, which on a slow machine takes longer than a
     * slot, and the call after it then need not wait: the client is warmed up once, against a server and a budget of
     * its own.
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
                "rate_limit_per_minute", "300"));
    }

    private int readAll() {
        return SourceReading.readAll(factory, "coingecko", config(), context).size();
    }

    /**
     * The budget's limiter and spacing are made by the read's first call ({@link #factory} is new for each test), so
     * none of them lets a call go before {@code startNanos}, and each lets the next go a slot after the one before.
     */
    private static void assertPaced(long startNanos, List<RecordedRequest> requests) {
        List<Long> arrivals = requests.stream().map(RecordedRequest::receivedNanos).sorted().toList();
        for (int k = 0; k < arrivals.size(); k++) {
            assertThat(Duration.ofNanos(arrivals.get(k) - startNanos))
                    .as("request %d arrived after", k).isGreaterThanOrEqualTo(SLOT.multipliedBy(k));
        }
    }

    @Test
    void oneSourceNeverExceedsItsBudget() {
        long start = System.nanoTime();

        assertThat(readAll()).isEqualTo(6);

        assertPaced(start, server.marketRequests());
        assertThat(metrics.total("rate_limiter_waits", Map.of("source", "coingecko"))).isGreaterThanOrEqualTo(4);
        assertThat(metrics.durations("rate_limiter_wait")).isNotEmpty()
                .allSatisfy(d -> assertThat(d).isPositive().isLessThanOrEqualTo(SLOT.multipliedBy(2)));
    }

    @Test
    void sourcesReadingAtTheSameTimeShareOneBudget() {
        long start = System.nanoTime();
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(this::readAll);
        CompletableFuture<Integer> second = CompletableFuture.supplyAsync(this::readAll);

        assertThat(first.join() + second.join()).isEqualTo(12);

        assertThat(server.marketRequests()).hasSize(12);
        assertPaced(start, server.marketRequests());
    }
}
