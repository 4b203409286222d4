package io.assetetl.sources.coingecko;

import io.assetetl.spi.SourceConfig;
import io.assetetl.spi.SourceFactory;
import io.assetetl.testing.AdapterContractTest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/**
 * The CoinGecko adapter keeps the core adapter contract, reading three full pages (105 coins, 5 of them bad) from
 * the fake server.
 */
class CoinGeckoSourceContractIT extends AdapterContractTest {

    private final CoinGeckoSourceFactory factory = new CoinGeckoSourceFactory();
    private FakeCoinGeckoServer server;

    @Override
    protected SourceFactory factory() {
        return factory;
    }

    @Override
    protected SourceConfig fixtureConfig(Path workDir) {
        server = FakeCoinGeckoServer.start().withFixture("coingecko/coins_markets_bad_items.json",
                "coingecko/coins_markets_usd_per_page100_2026-04-30.json");
        return SourceConfig.of(Map.of("base_url", server.baseUrl(), "per_page", "35", "pages", "3",
                "rate_limit_per_minute", "60000", "initial_backoff", "PT0.01S"));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }
}
