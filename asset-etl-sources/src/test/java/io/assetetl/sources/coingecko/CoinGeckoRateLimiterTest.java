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

    private static CoinGeckoSettings keyed(String baseUrl, String rate, String key) {
        return CoinGeckoSettings.from(SourceConfig.of(Map.of("base_url", baseUrl, "rate_limit_per_minute", rate,
                "api_key", key)));
    }

    @Test
    void spreadsTheBudgetEvenlyOverTheMinuteWithOnePercentToSpare() {
        RateLimiterConfig config = new CoinGeckoSourceFactory().limiter(
                settings("https://api.coingecko.com/api/v3", "30")).getRateLimiterConfig();

        assertThat(config.getLimitForPeriod()).isEqualTo(1);
        assertThat(config.getLimitRefreshPeriod()).isEqualTo(Duration.ofMillis(2_020));
    }

    @Test
    void oneFactoryHoldsOneBudgetPerBaseUrlAndApiKeyAsCoinGeckoCountsCalls() {
        CoinGeckoSourceFactory factory = new CoinGeckoSourceFactory();
        String pro = "https://pro-api.coingecko.com/api/v3";

        RateLimiter demo = factory.limiter(settings("https://api.coingecko.com/api/v3", "30"));
        RateLimiter keyed = factory.limiter(keyed(pro, "500", "CG-firstKey0123456789"));

        assertThat(factory.limiter(settings("https://api.coingecko.com/api/v3/", "30"))).isSameAs(demo);
        assertThat(factory.limiter(settings(pro, "30"))).isNotSameAs(demo).isNotSameAs(keyed);
        assertThat(factory.limiter(keyed(pro, "500", "CG-firstKey0123456789"))).isSameAs(keyed);
        assertThat(factory.limiter(keyed(pro, "500", "CG-secondKey012345678"))).isNotSameAs(keyed);
    }

    @Test
    void sourcesOfOneBudgetGivenDifferentRatesArePacedAtTheLowest() {
        CoinGeckoSourceFactory factory = new CoinGeckoSourceFactory();
        String demo = "https://api.coingecko.com/api/v3";

        Spacing spacing = factory.spacing(settings(demo, "60"));
        assertThat(factory.spacing(settings(demo, "30"))).isSameAs(spacing);
        assertThat(factory.spacing(settings(demo, "600"))).isSameAs(spacing);
        assertThat(factory.limiter(settings(demo, "30"))).as("one limiter too")
                .isSameAs(factory.limiter(settings(demo, "600")));

        assertThat(spacing.atLeast(Duration.ZERO)).as("30 a minute's slot").isEqualTo(Duration.ofMillis(2_020));
    }
}
