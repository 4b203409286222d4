package io.assetetl.sources.coingecko;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assetetl.spi.InvalidSourceConfigException;
import io.assetetl.spi.SourceConfig;
import io.assetetl.spi.SourceContext;
import io.assetetl.spi.SourceFactory;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class CoinGeckoSourceFactoryTest {

    @Test
    void isFoundByTheServiceLoaderAsTypeCoingecko() {
        assertThat(ServiceLoader.load(SourceFactory.class).stream().map(ServiceLoader.Provider::get))
                .filteredOn(f -> f.type().equals("coingecko"))
                .singleElement().isInstanceOf(CoinGeckoSourceFactory.class);
    }

    @Test
    void refusesAnInvalidConfigurationWhenTheSourceIsCreated() {
        assertThatThrownBy(() -> new CoinGeckoSourceFactory().create("coingecko",
                SourceConfig.of(Map.of("pages", "many")), SourceContext.defaults()))
                .isInstanceOf(InvalidSourceConfigException.class)
                .hasMessage("setting 'pages' is not a whole number: many");
    }

    @Test
    void spacesCallsAMinutesShareOfTheBudgetApartAndOnePercentMore() {
        assertThat(CoinGeckoSourceFactory.slot(settings("3"))).isEqualTo(Duration.ofMillis(20_200));
        assertThat(CoinGeckoSourceFactory.slot(settings("30"))).isEqualTo(Duration.ofMillis(2_020));
        assertThat(CoinGeckoSourceFactory.slot(settings("600"))).isEqualTo(Duration.ofMillis(101));
    }

    private static CoinGeckoSettings settings(String ratePerMinute) {
        return CoinGeckoSettings.from(SourceConfig.of(Map.of("rate_limit_per_minute", ratePerMinute)));
    }

    @Test
    void createsASourceWithoutCallingCoinGecko() {
        try (var source = new CoinGeckoSourceFactory().create("top_coins",
                SourceConfig.of(Map.of("base_url", "http://127.0.0.1:9/api/v3")), SourceContext.defaults())) {
            assertThat(source.name()).isEqualTo("top_coins");
        }
    }
}
