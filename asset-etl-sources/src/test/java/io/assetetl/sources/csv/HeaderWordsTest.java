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
}
