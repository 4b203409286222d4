package io.assetetl.sources.coingecko;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetetl.spi.SourceConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CoinGeckoRateLimiterTest {

    private static CoinGeckoSettings settings(String baseUrl, String rate) {
        return CoinGeckoSettings.from(SourceConfig.of(Map.of("base_url", baseUrl, "rate_limit_per_minute", rate)));
    }

    @Test
    void spreadsTheBudgetEvenlyOverTheMinuteWithOnePercentToSpare() {
        RateLimiterConfig config = new CoinGeckoSourceFactory().limiter(
                settings("https://api.coingecko.com/api/v3", "30")).getRateLimiterConfig();

        assertThat(config.getLimitForPeriod()).isEqualTo(1);
        assertThat(config.getLimitRefreshPeriod()).isEqualTo(Duration.ofMillis(2_020));
    }

    @Test
    void oneFactoryHoldsOneLimiterPerBaseUrlAndBudget() {
        CoinGeckoSourceFactory factory = new CoinGeckoSourceFactory();

        RateLimiter demo = factory.limiter(settings("https://api.coingecko.com/api/v3", "30"));

        assertThat(factory.limiter(settings("https://api.coingecko.com/api/v3/", "30"))).isSameAs(demo);
        assertThat(factory.limiter(settings("https://api.coingecko.com/api/v3", "500"))).isNotSameAs(demo);
        assertThat(factory.limiter(settings("https://pro-api.coingecko.com/api/v3", "30"))).isNotSameAs(demo);
    }
}
