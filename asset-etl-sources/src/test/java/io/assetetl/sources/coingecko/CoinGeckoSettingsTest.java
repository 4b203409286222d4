package io.assetetl.sources.coingecko;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assetetl.spi.InvalidSourceConfigException;
import io.assetetl.spi.SourceConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CoinGeckoSettingsTest {

    private static CoinGeckoSettings settings(Map<String, String> values) {
        return CoinGeckoSettings.from(SourceConfig.of(values));
    }

    @Test
    void defaultsFollowTheContract() {
        CoinGeckoSettings defaults = settings(Map.of());

        assertThat(defaults.baseUrl()).isEqualTo("https://api.coingecko.com/api/v3");
        assertThat(defaults.apiKey()).isNull();
        assertThat(defaults.ratePerMinute()).isEqualTo(30);
        assertThat(defaults.pages()).isEqualTo(4);
        assertThat(defaults.perPage()).isEqualTo(250);
        assertThat(defaults.vsCurrency()).isEqualTo("usd");
        assertThat(defaults.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.maxAttempts()).isEqualTo(6);
        assertThat(defaults.resumeWindow()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void theProHostGetsTheProKeyHeaderAndEveryOtherHostTheDemoOne() {
        assertThat(settings(Map.of("base_url", "https://pro-api.coingecko.com/api/v3/")).keyHeader())
                .isEqualTo("x-cg-pro-api-key");
        assertThat(settings(Map.of("base_url", "https://PRO-API.coingecko.com/api/v3")).keyHeader())
                .isEqualTo("x-cg-pro-api-key");
        assertThat(settings(Map.of()).keyHeader()).isEqualTo("x-cg-demo-api-key");
        assertThat(settings(Map.of("base_url", "http://127.0.0.1:8089/api/v3")).keyHeader())
                .isEqualTo("x-cg-demo-api-key");
    }

    @Test
    void aTrailingSlashOfTheBaseUrlIsDropped() {
        assertThat(settings(Map.of("base_url", "https://pro-api.coingecko.com/api/v3/")).baseUrl())
                .isEqualTo("https://pro-api.coingecko.com/api/v3");
    }

    @Test
    void theKeyNeverShowsInTheSettingsText() {
        CoinGeckoSettings keyed = settings(Map.of("api_key", "CG-sentinel-0000"));

        assertThat(keyed.toString()).doesNotContain("CG-sentinel-0000").contains("api_key=***");
    }

    @Test
    void aKeyWithACharacterNoHeaderCarriesIsRefusedWithoutBeingEchoed() {
        for (String key : List.of("CG-sentinel\u200b0000", "CG-sentinel\n0000", "CG sentinel-0000")) {
            assertThatThrownBy(() -> settings(Map.of("api_key", key)))
                    .isInstanceOf(InvalidSourceConfigException.class)
                    .hasMessageStartingWith("setting 'api_key' (COINGECKO_API_KEY) holds a character no HTTP header"
                            + " can carry (U+")
                    .hasMessageNotContaining("sentinel");
        }
    }

    @Test
    void pricesInAnotherCurrencyThanTheDollarAreRefused() {
        assertThat(settings(Map.of("vs_currency", "USD")).vsCurrency()).isEqualTo("usd");
        assertThatThrownBy(() -> settings(Map.of("vs_currency", "eur")))
                .isInstanceOf(InvalidSourceConfigException.class)
                .hasMessage("setting 'vs_currency' must be usd: prices are stored in USD, and eur prices would be"
                        + " taken for dollars");
    }

    @Test
    void aKeyPastedIntoTheBaseUrlIsRefusedWithoutBeingEchoed() {
        assertThatThrownBy(() -> settings(Map.of("base_url",
                "https://api.coingecko.com/api/v3?x_cg_demo_api_key=CG-sentinel-0000")))
                .isInstanceOf(InvalidSourceConfigException.class)
                .hasMessageContaining("api_key")
                .hasMessageNotContaining("CG-sentinel-0000");
        assertThatThrownBy(() -> settings(Map.of("base_url", "https://user:CG-sentinel-0000@api.coingecko.com/")))
                .hasMessageNotContaining("CG-sentinel-0000");
    }

    @Test
    void aSettingTheSourceDoesNotHaveIsRefusedWithoutEchoingWhatLooksLikeAValue() {
        assertThatThrownBy(() -> settings(Map.of("apikey", "CG-abc"))).isInstanceOf(InvalidSourceConfigException.class)
                .hasMessageStartingWith("unknown setting 'apikey' for a source of type coingecko (did you mean"
                        + " 'api_key'?); its settings are api_key, base_url,")
                .hasMessageNotContaining("CG-abc");
        for (String pasted : List.of("api_key CG-secret0123456789", "CG-7N8XyL3bKzQ2mPfT9wRdV4sA",
                "sk_live_51hqlyjwdarjtt1zdp7dc")) {
            assertThatThrownBy(() -> settings(Map.of(pasted, "")))
                    .hasMessageStartingWith("unknown setting (a key that is no setting's name) for a source of type"
                            + " coingecko")
                    .hasMessageNotContaining(pasted.substring(pasted.length() - 12));
        }
    }

    @Test
    void invalidSettingsAreRefusedEagerly() {
        assertThatThrownBy(() -> settings(Map.of("base_url", "ftp://example.com"))).isInstanceOf(
                InvalidSourceConfigException.class).hasMessageContaining("base_url");
        assertThatThrownBy(() -> settings(Map.of("base_url", "not a url"))).isInstanceOf(
                InvalidSourceConfigException.class);
        assertThatThrownBy(() -> settings(Map.of("per_page", "251"))).hasMessageContaining("per_page");
        assertThatThrownBy(() -> settings(Map.of("rate_limit_per_minute", "0")))
                .hasMessageContaining("rate_limit_per_minute");
        assertThatThrownBy(() -> settings(Map.of("pages", "0"))).hasMessageContaining("pages");
        assertThatThrownBy(() -> settings(Map.of("timeout", "PT0S"))).hasMessageContaining("timeout");
        assertThatThrownBy(() -> settings(Map.of("max_attempts", "0"))).hasMessageContaining("max_attempts");
        assertThatThrownBy(() -> settings(Map.of("resume_window", "30 minutes")))
                .hasMessageContaining("resume_window");
    }

    @Test
    void durationsOkHttpOrTheClockCannotHoldAreRefused() {
        assertThatThrownBy(() -> settings(Map.of("timeout", "PT0.0005S")))
                .hasMessage("setting 'timeout' must be within PT0.001S..PT24H: PT0.0005S");
        assertThatThrownBy(() -> settings(Map.of("timeout", "P30D"))).hasMessageContaining("timeout");
        assertThatThrownBy(() -> settings(Map.of("max_wait", "P365000D")))
                .hasMessage("setting 'max_wait' must be within PT0S..PT24H: PT8760000H");
        assertThatThrownBy(() -> settings(Map.of("max_wait", "-PT1S"))).hasMessageContaining("max_wait");
        assertThatThrownBy(() -> settings(Map.of("initial_backoff", "P2D"))).hasMessageContaining("initial_backoff");
        assertThat(settings(Map.of("timeout", "PT24H", "max_wait", "PT24H")).maxWait()).isEqualTo(Duration.ofDays(1));
        // a snapshot's time plus this window overflowed the clock, failing every run that had a snapshot to resume
        assertThatThrownBy(() -> settings(Map.of("resume_window", "PT9223372036854775807S")))
                .hasMessageStartingWith("setting 'resume_window' must be within PT0S..PT24H: ");
        assertThatThrownBy(() -> settings(Map.of("resume_window", "-PT1M"))).hasMessageContaining("resume_window");
        assertThat(settings(Map.of("resume_window", "PT24H")).resumeWindow()).isEqualTo(Duration.ofDays(1));
    }
}
