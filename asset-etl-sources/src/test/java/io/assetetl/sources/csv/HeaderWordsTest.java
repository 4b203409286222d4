package io.assetetl.sources.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HeaderWordsTest {

    @Test
    void splitsAHeaderIntoLowerCaseWordsWhateverItsCaseStyle() {
        assertThat(HeaderWords.words(" Price (USD) ")).containsExactly("price", "usd");
        assertThat(HeaderWords.words("price_change_24h")).containsExactly("price", "change", "24h");
        assertThat(HeaderWords.words("priceChange24h")).containsExactly("price", "change", "24h");
        assertThat(HeaderWords.words("marketCapEUR")).containsExactly("market", "cap", "eur");
        assertThat(HeaderWords.words("EURPrice")).containsExactly("eur", "price");
        assertThat(HeaderWords.words("24h-Volume")).containsExactly("24h", "volume");
        assertThat(HeaderWords.words("$ price")).containsExactly("price");
    }

    @Test
    void namesTheCurrencyOtherThanTheDollarThatAHeaderIsIn() {
        assertThat(HeaderWords.otherCurrency("price_eur")).hasValue("EUR");
        assertThat(HeaderWords.otherCurrency("Price (BTC)")).hasValue("BTC");
        assertThat(HeaderWords.otherCurrency("price_in_gbp")).hasValue("GBP");
        assertThat(HeaderWords.otherCurrency("volume24hSats")).hasValue("SATS");
        assertThat(HeaderWords.otherCurrency("Price (€)")).hasValue("€");
        assertThat(HeaderWords.otherCurrency("Kurs ¥")).hasValue("¥");
        assertThat(HeaderWords.otherCurrency("Price (A$)")).hasValue("A$");
        assertThat(HeaderWords.otherCurrency("HK$ price")).hasValue("HK$");
        assertThat(HeaderWords.otherCurrency("btc_usd")).hasValue("BTC");
    }

    @Test
    void findsNoOtherCurrencyInDollarOrStablecoinHeadersOrInWordsThatOnlyContainACode() {
        for (String header : List.of("price", "price_usd", "Price (USD)", "$ price", "Price ($)", "Price (US$)",
                "price_usdt", "price_usdc", "market_cap_dai", "country", "retry_count", "Europe", "satisfaction",
                "method", "ethnicity", "timestamp")) {
            assertThat(HeaderWords.otherCurrency(header)).as(header).isEmpty();
        }
    }

    @Test
    void namesWhatElseThanTheLatestDollarValueOver24HoursAHeaderMeasures() {
        assertThat(HeaderWords.otherMeasure("price_in_cents"))
                .hasValue("'cents' scales the amount or names another unit than the dollar");
        assertThat(HeaderWords.otherMeasure("Market Cap ($B)"))
                .hasValue("'b' scales the amount or names another unit than the dollar");
        assertThat(HeaderWords.otherMeasure("marketCapBn"))
                .hasValue("'bn' scales the amount or names another unit than the dollar");
        assertThat(HeaderWords.otherMeasure("market_dominance")).hasValue("'dominance' names a share, not an amount");
        assertThat(HeaderWords.otherMeasure("prev_close")).hasValue("'prev' names another value than the latest");
        assertThat(HeaderWords.otherMeasure("price_1h_ago")).hasValue("'1h' names another window than 24 hours");
        assertThat(HeaderWords.otherMeasure("volume7D")).hasValue("'7d' names another window than 24 hours");
        assertThat(HeaderWords.otherMeasure("volume 30 days")).hasValue("'30days' names another window than 24 hours");
        assertThat(HeaderWords.otherMeasure("volumeWeekly")).hasValue("'weekly' names another window than 24 hours");
    }

    @Test
    void findsNothingElseMeasuredInHeadersOfLatestValuesOrOf24Hours() {
        for (String header : List.of("price", "price_usd", "close", "close_price", "last_price", "current_price",
                "volume_24h", "24h Vol", "Volume (24 h)", "Volume 24 Hours", "vol_1d", "Volume 1 Day", "volume_1440m",
                "daily_volume", "volume_day", "market_cap_usd", "mCap", "MCap USD", "Date (DD/MM/YYYY)",
                "Time (HH:MM)", "timestamp", "symbol", "coin_name", "gold_price", "threshold")) {
            assertThat(HeaderWords.otherMeasure(header)).as(header).isEmpty();
        }
    }
}
