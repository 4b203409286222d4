package io.assetetl.sources.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import io.assetetl.model.DriftEvent;
import io.assetetl.spi.SourceException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeaderMapperTest {

    private final HeaderMapper mapper = new HeaderMapper(0.8);

    @Test
    void mapsExactNamesInAnyCaseWithoutDrift() {
        ColumnMapping m = mapper.map(List.of("Symbol", "NAME", "price_usd", "market_cap_usd", "volume_24h_usd",
                "timestamp"));

        assertThat(m.header(Field.SYMBOL)).isEqualTo("Symbol");
        assertThat(m.header(Field.NAME)).isEqualTo("NAME");
        assertThat(m.header(Field.PRICE)).isEqualTo("price_usd");
        assertThat(m.header(Field.TIMESTAMP)).isEqualTo("timestamp");
        assertThat(m.driftEvents()).isEmpty();
        assertThat(m.symbolFromName()).isFalse();
    }

    @Test
    void leavesColumnsThatOnlyShareLettersWithAFieldUnmapped() {
        // each was mapped fuzzily before: a target loaded as the price, a volume in coins as dollars, and a column
        // of names or words as the time or the market cap, which rejected every row
        for (String other : List.of("price_prediction", "price_target", "buy_price", "price_paid", "volume_24h_base",
                "Volume (coins)", "volume_native", "Market Cap FDV", "source", "timezone", "market", "quote",
                "currency", "vs_currency", "currency_code", "tier")) {
            ColumnMapping m = mapper.map(List.of("symbol", "price_usd", "timestamp", other));

            assertThat(m.header(Field.PRICE)).as(other).isEqualTo("price_usd");
            assertThat(m.header(Field.TIMESTAMP)).as(other).isEqualTo("timestamp");
            for (Field field : List.of(Field.NAME, Field.MARKET_CAP, Field.VOLUME_24H)) {
                assertThat(m.header(field)).as("%s as %s", other, field).isNull();
            }
        }
        // with no price but a prediction, the file has no price: the run fails naming what it found
        assertThatThrownBy(() -> mapper.map(List.of("symbol", "price_prediction", "timestamp")))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("price_usd='price_prediction' (0.819, vetoed: 'prediction' marks other data)");
    }

    @Test
    void prefersPriceUsdOverPriceWhenBothArePresent() {
        ColumnMapping m = mapper.map(List.of("symbol", "price", "price_usd"));

        assertThat(m.header(Field.PRICE)).isEqualTo("price_usd");
        assertThat(m.driftEvents()).extracting(DriftEvent::kind, DriftEvent::actual)
                .contains(tuple("header_unmapped", "price"));
    }

    @Test
    void mapsKnownAliasesAndRecordsEachAsDrift() {
        ColumnMapping m = mapper.map(List.of("Ticker", "Coin Name", "Price (USD)", "Mkt Cap", "24h Volume",
                "Last Updated"));

        assertThat(m.headers()).containsEntry(Field.SYMBOL, "Ticker").containsEntry(Field.NAME, "Coin Name")
                .containsEntry(Field.PRICE, "Price (USD)").containsEntry(Field.MARKET_CAP, "Mkt Cap")
                .containsEntry(Field.VOLUME_24H, "24h Volume").containsEntry(Field.TIMESTAMP, "Last Updated");
        assertThat(m.driftEvents()).hasSize(6).allSatisfy(e -> {
            assertThat(e.kind()).isEqualTo("header_alias");
            assertThat(e.confidence()).isEqualTo(HeaderMapper.ALIAS_CONFIDENCE);
            assertThat(e.action()).isEqualTo("mapped");
        });
        assertThat(m.driftEvents()).extracting(DriftEvent::expected, DriftEvent::actual)
                .contains(tuple("price_usd", "Price (USD)"), tuple("market_cap_usd", "Mkt Cap"));
    }

    @Test
    void mapsTheAliasesOfTheFieldsSampleFiles() {
        assertThat(mapper.map(List.of("ticker", "coin_name", "usd_price", "cap")).headers())
                .containsEntry(Field.SYMBOL, "ticker").containsEntry(Field.NAME, "coin_name")
                .containsEntry(Field.PRICE, "usd_price").containsEntry(Field.MARKET_CAP, "cap");
        assertThat(mapper.map(List.of("coin_symbol", "coin_name", "usd_price")).headers())
                .containsEntry(Field.SYMBOL, "coin_symbol").containsEntry(Field.PRICE, "usd_price");
        assertThat(mapper.map(List.of("ticker", "price", "vol", "date", "market_cap")).headers())
                .containsEntry(Field.VOLUME_24H, "vol").containsEntry(Field.TIMESTAMP, "date")
                .containsEntry(Field.MARKET_CAP, "market_cap");
        assertThat(mapper.map(List.of("symbol", "name", "price_usd", "market_cap_usd", "rank", "source_updated_at"))
                .header(Field.TIMESTAMP)).isEqualTo("source_updated_at");
    }

    @Test
    void mapsMisspelledHeadersFuzzilyWithTheirConfidence() {
        ColumnMapping m = mapper.map(List.of("symbl", "prices_usd", "market_capp", "timestmp"));

        assertThat(m.headers()).containsEntry(Field.SYMBOL, "symbl").containsEntry(Field.PRICE, "prices_usd")
                .containsEntry(Field.MARKET_CAP, "market_capp").containsEntry(Field.TIMESTAMP, "timestmp");
        assertThat(m.driftEvents()).filteredOn(e -> e.kind().equals("header_fuzzy")).hasSize(4)
                .allSatisfy(e -> assertThat(e.confidence()).isBetween(0.75, 0.95));
    }

    @Test
    void aMisspellingIsNeverMoreConfidentThanAKnownAlias() {
        ColumnMapping m = mapper.map(List.of("Symbl", "Market Capitalisation", "Volum 24h", "price"));

        double alias = m.driftEvents().stream().filter(e -> e.kind().equals("header_alias"))
                .mapToDouble(DriftEvent::confidence).min().orElseThrow();
        assertThat(m.driftEvents()).filteredOn(e -> e.kind().equals("header_fuzzy")).isNotEmpty()
                .allSatisfy(e -> assertThat(e.confidence()).as(e.actual()).isLessThan(alias));
    }

    @Test
    void neverMapsLookAlikeColumnsOfOtherData() {
        ColumnMapping m = mapper.map(List.of("symbol", "price", "price_change_24h", "market_cap_rank", "high_24h",
                "circulating_supply"));

        assertThat(m.header(Field.MARKET_CAP)).isNull();
        assertThat(m.header(Field.VOLUME_24H)).isNull();
        assertThatThrownBy(() -> mapper.map(List.of("symbol", "price_change_24h", "price_change_percentage_24h")))
                .isInstanceOf(SourceException.class);
    }

    @Test
    void neverMapsAHeaderInAnotherCurrencyToAUsdFieldNorToAnyOther() {
        ColumnMapping m = mapper.map(List.of("symbol", "price", "price_btc", "price_eur", "market_cap_eur",
                "volume_24h_btc", "price_in_gbp", "Price (JPY)", "close_eth"));

        assertThat(m.header(Field.PRICE)).isEqualTo("price");
        assertThat(m.header(Field.MARKET_CAP)).isNull();
        assertThat(m.header(Field.VOLUME_24H)).isNull();
        assertThat(m.header(Field.TIMESTAMP)).as("an amount in BTC is no timestamp either").isNull();
        assertThat(m.driftEvents()).filteredOn(e -> e.kind().equals("header_unmapped"))
                .extracting(DriftEvent::actual).containsExactlyInAnyOrder("price_btc", "price_eur",
                        "market_cap_eur", "volume_24h_btc", "price_in_gbp", "Price (JPY)", "close_eth");
        for (String header : List.of("price_btc", "price_eur", "Price (EUR)", "price_jpy", "price_in_gbp",
                "priceEUR", "PriceInGbp", "EURPrice", "market_cap_eur", "marketCapGbp", "volume_24h_btc",
                "price_sats", "eth_price", "Preis in CHF", "Price (€)", "Price (£)", "₿ price", "Price (A$)",
                "btc_usd", "price_usd_btc", "price_eurc")) {
            for (Field field : Field.values()) {
                assertThat(HeaderMapper.score(field, header)).as("%s as %s", header, field).isZero();
            }
        }
    }

    @Test
    void failsRatherThanReadAPriceInAnotherCurrencyAsUsd() {
        for (String price : List.of("price_eur", "price_btc", "Price (EUR)", "Price (€)", "priceJpy")) {
            assertThatThrownBy(() -> mapper.map(List.of("symbol", "name", price, "timestamp")))
                    .as(price)
                    .isInstanceOf(SourceException.class)
                    .hasMessageStartingWith("cannot map required field(s) price: headers found ")
                    .hasMessageContaining(price);
        }
    }

    @Test
    void stillMapsDollarHeadersAndDollarStablecoinQuotes() {
        for (String price : List.of("price", "price_usd", "PRICE_USD", "Price (USD)", "$ price", "Price ($)",
                "Price (US$)", "usd_price", "priceUsd")) {
            assertThat(mapper.map(List.of("symbol", price)).header(Field.PRICE)).as(price).isEqualTo(price);
        }
        ColumnMapping stablecoin = mapper.map(List.of("symbol", "price_usdt", "market_cap_usdc"));

        assertThat(stablecoin.headers()).containsEntry(Field.PRICE, "price_usdt")
                .containsEntry(Field.MARKET_CAP, "market_cap_usdc");
        assertThat(stablecoin.driftEvents()).filteredOn(e -> e.kind().equals("header_fuzzy"))
                .extracting(DriftEvent::actual).containsExactlyInAnyOrder("price_usdt", "market_cap_usdc");
    }

    @Test
    void neverMapsHeadersNamingAScaleAShareAnotherPointOrAnotherWindowThan24Hours() {
        for (String header : List.of("price_in_cents", "price_usd_thousands", "market_cap_usd_billions",
                "market_dominance", "volume_7d", "price_1h_ago", "usd_price_old", "open_price", "prev_close",
                "max_price", "Price (USD, k)", "Market Cap ($B)", "Volume (M)", "market_cap_mn", "volume_usd_mm",
                "marketCapBn", "price_cent", "market_share", "avg_price", "ask_price", "bid", "yesterday_close",
                "volume_30d", "volume 7 days", "volumeWeekly", "price_1y", "mean_price", "price_weight")) {
            for (Field field : List.of(Field.PRICE, Field.MARKET_CAP, Field.VOLUME_24H)) {
                assertThat(HeaderMapper.score(field, header)).as("%s as %s", header, field).isZero();
            }
        }
        // nor as anything else: these are amounts, and a timestamp, symbol or name is not one
        ColumnMapping m = mapper.map(List.of("symbol", "price", "price_in_cents", "volume_7d", "market_dominance",
                "price_1h_ago", "market_cap_usd_billions"));

        assertThat(m.headers()).containsOnlyKeys(Field.SYMBOL, Field.PRICE);
        assertThat(m.driftEvents()).filteredOn(e -> e.kind().equals("header_unmapped"))
                .extracting(DriftEvent::actual).containsExactlyInAnyOrder("price_in_cents", "volume_7d",
                        "market_dominance", "price_1h_ago", "market_cap_usd_billions");
    }

    @Test
    void failsRatherThanReadAScaledOrEarlierPriceAsTheLatestUsdPrice() {
        for (String price : List.of("price_in_cents", "price_usd_thousands", "price_1h_ago", "usd_price_old",
                "open_price", "prev_close", "max_price")) {
            assertThatThrownBy(() -> mapper.map(List.of("symbol", "name", price, "timestamp")))
                    .as(price)
                    .isInstanceOf(SourceException.class)
                    .hasMessageStartingWith("cannot map required field(s) price: headers found ")
                    .hasMessageContaining("'" + price + "' (")
                    .hasMessageContaining(", vetoed: '");
        }
    }

    @Test
    void stillMapsLatestPricesAndDailyVolumes() {
        for (String price : List.of("close", "close_price", "Close Price", "last_price", "current_price",
                "latest_price", "Last Price (USD)", "price_latest", "Spot Price")) {
            assertThat(mapper.map(List.of("symbol", price)).header(Field.PRICE)).as(price).isEqualTo(price);
        }
        for (String volume : List.of("volume_24h", "24h Vol", "Volume (24 h)", "Volume 24 Hours", "vol_1d",
                "volume_1d", "daily_volume", "volume_daily", "volume_usd", "Volume 1 Day")) {
            assertThat(mapper.map(List.of("symbol", "price", volume)).header(Field.VOLUME_24H)).as(volume)
                    .isEqualTo(volume);
        }
        for (String cap : List.of("mcap", "mCap", "MCap USD", "market_cap_usd_", "Market Cap ($)")) {
            assertThat(mapper.map(List.of("symbol", "price", cap)).header(Field.MARKET_CAP)).as(cap)
                    .isEqualTo(cap);
        }
    }

    @Test
    void neverMapsAnAmountToATimeOrANameNorATimeToAnAmount() {
        assertThat(mapper.map(List.of("symbol", "price_latest")).header(Field.PRICE)).isEqualTo("price_latest");
        assertThat(mapper.map(List.of("symbol", "price_usd", "price_latest")).header(Field.TIMESTAMP)).isNull();
        assertThat(mapper.map(List.of("symbol", "price", "last_close")).header(Field.TIMESTAMP)).isNull();
        ColumnMapping candles = mapper.map(List.of("symbol", "close_time", "price"));
        assertThat(candles.header(Field.PRICE)).isEqualTo("price");
        assertThat(HeaderMapper.score(Field.PRICE, "close_time")).isZero();
        assertThat(HeaderMapper.score(Field.TIMESTAMP, "price_latest")).isZero();
        assertThat(HeaderMapper.score(Field.NAME, "coin_price")).isZero();
        assertThat(HeaderMapper.veto(Field.TIMESTAMP, "last_close")).contains("'close' names an amount");
        assertThat(HeaderMapper.veto(Field.PRICE, "close_time")).contains("'time' names a time, not an amount");
    }

    @Test
    void aTimestampNamedAfterItsWindowOrTheCandlesOpenIsStillATimestamp() {
        for (String time : List.of("datetime_hour", "date (1h)", "time_1h", "timestamp_hourly", "time_open",
                "Date (Hourly)")) {
            assertThat(mapper.map(List.of("symbol", "price", time)).header(Field.TIMESTAMP)).as(time).isEqualTo(time);
        }
    }

    @Test
    void mapsCandleFilesByTheirCloseTimeAndFlattenedApiExportsByTheirUsdQuote() {
        ColumnMapping klines = mapper.map(List.of("symbol", "open_time", "open", "high", "low", "close", "volume",
                "close_time", "quote_volume", "count"));
        assertThat(klines.header(Field.TIMESTAMP)).isEqualTo("close_time");
        assertThat(klines.header(Field.PRICE)).isEqualTo("close");
        assertThat(klines.header(Field.VOLUME_24H)).as("a candle's volume is no 24-hour dollar volume").isNull();
        assertThat(mapper.map(List.of("symbol", "Open", "High", "Low", "Close", "Volume", "Date"))
                .header(Field.VOLUME_24H)).isNull();
        assertThat(mapper.map(List.of("symbol", "close", "volume")).header(Field.VOLUME_24H)).isEqualTo("volume");
        assertThat(mapper.map(List.of("symbol", "Open time", "Close")).header(Field.TIMESTAMP)).isEqualTo("Open time");

        ColumnMapping cmc = mapper.map(List.of("symbol", "name", "quote.USD.price", "quote.USD.volume_24h",
                "quote.USD.market_cap", "quote.USD.last_updated"));
        assertThat(cmc.headers()).containsEntry(Field.PRICE, "quote.USD.price")
                .containsEntry(Field.VOLUME_24H, "quote.USD.volume_24h")
                .containsEntry(Field.MARKET_CAP, "quote.USD.market_cap")
                .containsEntry(Field.TIMESTAMP, "quote.USD.last_updated");

        assertThat(mapper.map(List.of("symbol", "Last")).header(Field.PRICE)).isEqualTo("Last");
    }

    @Test
    void theDayACoinWasListedIsNoObservationTime() {
        assertThat(mapper.map(List.of("symbol", "price", "date_added")).header(Field.TIMESTAMP)).isNull();
    }

    @Test
    void readsMmInADateFormatAsTheMonthNotAsMillions() {
        assertThat(mapper.map(List.of("symbol", "price", "Date (DD/MM/YYYY)")).header(Field.TIMESTAMP))
                .isEqualTo("Date (DD/MM/YYYY)");
        assertThat(HeaderMapper.score(Field.VOLUME_24H, "volume_usd_mm")).isZero();
    }

    @Test
    void vetoesNoKnownAliasOfItsOwnField() {
        for (Field field : Field.values()) {
            for (String alias : HeaderMapper.ALIASES.get(field)) {
                assertThat(HeaderMapper.veto(field, alias)).as("%s as %s", alias, field).isEmpty();
            }
        }
    }

    @Test
    void comparesTheThresholdWithTheConfidenceItStores() {
        // 'prices_usd' is 0.947 similar to price_usd: a confidence of 0.899
        assertThatThrownBy(() -> new HeaderMapper(0.9).map(List.of("symbol", "prices_usd")))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("best guesses {price_usd='prices_usd' (0.899)} are vetoed or below the fuzzy "
                        + "threshold 0.90");
        assertThat(new HeaderMapper(0.899).map(List.of("symbol", "prices_usd")).driftEvents())
                .filteredOn(e -> e.kind().equals("header_fuzzy"))
                .extracting(DriftEvent::actual, DriftEvent::confidence).containsExactly(tuple("prices_usd", 0.899));
        List<String> headers = List.of("symbol", "price", "market_capp", "timestmp", "Volum 24h", "Coin Nm",
                "usd_value", "Updated On", "Mkt Capitalization", "Time Stamp", "vol_1d", "mkt_value");
        for (int percent = 70; percent <= 95; percent++) {
            double t = percent / 100.0;
            assertThat(new HeaderMapper(t).map(headers).driftEvents())
                    .filteredOn(e -> e.kind().equals("header_fuzzy"))
                    .allSatisfy(e -> assertThat(e.confidence()).as("%s at %.2f", e.actual(), t)
                            .isGreaterThanOrEqualTo(t));
        }
    }

    @Test
    void mapsRealMisspellingsAtTheDefaultThreshold() {
        HeaderMapper defaults = new HeaderMapper(WeirdCsvSourceConfig.DEFAULT_FUZZY_THRESHOLD);

        ColumnMapping m = defaults.map(List.of("Symbl", "Pric USD", "Market Capp", "Volum 24h", "Timestmp"));

        assertThat(m.headers()).containsEntry(Field.SYMBOL, "Symbl").containsEntry(Field.PRICE, "Pric USD")
                .containsEntry(Field.MARKET_CAP, "Market Capp").containsEntry(Field.VOLUME_24H, "Volum 24h")
                .containsEntry(Field.TIMESTAMP, "Timestmp");
    }

    @Test
    void neverMapsARepeatedHeaderAndRecordsItAsAnIgnoredDuplicateOfTheFirst() {
        ColumnMapping m = mapper.map(Payload.keys(new String[] {"symbol", "name", "price", "price"}));

        assertThat(m.headers()).containsOnly(entry(Field.SYMBOL, "symbol"), entry(Field.NAME, "name"),
                entry(Field.PRICE, "price"));
        assertThat(m.driftEvents()).extracting(DriftEvent::kind, DriftEvent::expected, DriftEvent::actual,
                DriftEvent::confidence, DriftEvent::action).containsExactlyInAnyOrder(
                tuple("header_duplicate", "price_usd", "price_2", 1.0, "ignored"),
                tuple("field_missing", "market_cap_usd", null, 1.0, "ignored"),
                tuple("field_missing", "volume_24h_usd", null, 1.0, "ignored"),
                tuple("field_missing", "timestamp", null, 1.0, "file_time_used"));
    }

    @Test
    void neverMapsAnyRepeatOfAHeaderWhetherTheFirstIsMappedOrNot() {
        ColumnMapping m = mapper.map(Payload.keys(new String[] {"Ticker", "Ticker", "Coin Name", "Coin Name",
            "Price (USD)", "Price (USD)", "Price (USD)", "notes", "notes", "Last Updated"}));

        assertThat(m.headers()).containsOnly(entry(Field.SYMBOL, "Ticker"), entry(Field.NAME, "Coin Name"),
                entry(Field.PRICE, "Price (USD)"), entry(Field.TIMESTAMP, "Last Updated"));
        assertThat(m.driftEvents()).filteredOn(e -> !e.kind().equals("header_alias"))
                .extracting(DriftEvent::kind, DriftEvent::expected, DriftEvent::actual).containsExactlyInAnyOrder(
                tuple("header_duplicate", "symbol", "Ticker_2"),
                tuple("header_duplicate", "name", "Coin Name_2"),
                tuple("header_duplicate", "price_usd", "Price (USD)_2"),
                tuple("header_duplicate", "price_usd", "Price (USD)_3"),
                tuple("header_unmapped", null, "notes"),
                tuple("header_unmapped", null, "notes_2"),
                tuple("field_missing", "market_cap_usd", null),
                tuple("field_missing", "volume_24h_usd", null));
    }

    @Test
    void readsAHeaderRepeatedInAnotherCaseFromItsFirstColumnAndRecordsEveryOtherAsADuplicate() {
        // each later spelling sorts before the first one, which a mapping in sort order would have read
        ColumnMapping m = mapper.map(Payload.keys(new String[] {"Ticker", "TICKER", "price", "Price", "price",
            "Date", "DATE"}));

        assertThat(m.headers()).containsOnly(entry(Field.SYMBOL, "Ticker"), entry(Field.PRICE, "price"),
                entry(Field.TIMESTAMP, "Date"));
        assertThat(m.driftEvents()).filteredOn(e -> !e.kind().equals("header_alias"))
                .extracting(DriftEvent::kind, DriftEvent::expected, DriftEvent::actual).containsExactlyInAnyOrder(
                tuple("header_duplicate", "symbol", "TICKER"),
                tuple("header_duplicate", "price_usd", "Price"),
                tuple("header_duplicate", "price_usd", "price_2"),
                tuple("header_duplicate", "timestamp", "DATE"),
                tuple("field_missing", "name", null),
                tuple("field_missing", "market_cap_usd", null),
                tuple("field_missing", "volume_24h_usd", null));
    }

    @Test
    void ofTwoHeadersThatNameAFieldEquallyWellTheFirstColumnIsRead() {
        // the same alias once normalised, and the same misspelling: "Price (USD)" and "Prise USD" sort first
        assertThat(mapper.map(List.of("symbol", "Price(USD)", "Price (USD)")).header(Field.PRICE))
                .isEqualTo("Price(USD)");
        assertThat(mapper.map(List.of("symbol", "prise_usd", "Prise USD")).header(Field.PRICE))
                .isEqualTo("prise_usd");
        assertThat(mapper.map(List.of("symbol", "Prise USD", "prise_usd")).header(Field.PRICE))
                .isEqualTo("Prise USD");
    }

    @Test
    void neverMapsCamelCaseLookAlikesOfOtherData() {
        assertThat(mapper.map(List.of("symbol", "price", "priceChange24h", "marketCapRank")).headers())
                .containsOnlyKeys(Field.SYMBOL, Field.PRICE);
        assertThat(HeaderMapper.score(Field.PRICE, "priceChange24h")).isZero();
    }

    @Test
    void explainsAVetoedBestGuessInsteadOfCallingItBelowTheThreshold() {
        assertThatThrownBy(() -> mapper.map(List.of("symbol", "price_change_24h", "timestamp")))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("best guesses {price_usd='price_change_24h' (0.819, vetoed: 'change' marks "
                        + "other data)}")
                .hasMessageNotContaining("(0.819)");
        assertThatThrownBy(() -> mapper.map(List.of("symbol", "price_eur")))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("best guesses {price_usd='price_eur' (0.866, vetoed: in EUR, not USD)}");
        assertThatThrownBy(() -> mapper.map(List.of("symbol", "Price (€)")))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("'Price (€)' (0.950, vetoed: in €, not USD)");
        assertThatThrownBy(() -> mapper.map(List.of("symbol", "score")))
                .hasMessageNotContaining("vetoed:")
                .hasMessageMatching(".*best guesses \\{price_usd='score' \\(0\\.\\d\\d\\d\\)\\} "
                        + "are vetoed or below the fuzzy threshold 0\\.80");
    }

    @Test
    void recordsUnmappedHeadersAndMissingFields() {
        ColumnMapping m = mapper.map(List.of("symbol", "price", "rank"));

        assertThat(m.driftEvents()).extracting(DriftEvent::kind, DriftEvent::expected, DriftEvent::actual,
                DriftEvent::action).containsExactlyInAnyOrder(
                tuple("header_unmapped", null, "rank", "ignored"),
                tuple("field_missing", "name", null, "ignored"),
                tuple("field_missing", "market_cap_usd", null, "ignored"),
                tuple("field_missing", "volume_24h_usd", null, "ignored"),
                tuple("field_missing", "timestamp", null, "file_time_used"));
    }

    @Test
    void readsTheSymbolFromTheNameWhenThereIsNoSymbolColumn() {
        ColumnMapping m = mapper.map(List.of("id", "name", "value", "timestamp"));

        assertThat(m.symbolFromName()).isTrue();
        assertThat(m.header(Field.SYMBOL)).isNull();
        assertThat(m.header(Field.PRICE)).isEqualTo("value");
        assertThat(m.driftEvents()).extracting(DriftEvent::kind, DriftEvent::action)
                .contains(tuple("field_derived", "symbol_from_name"));
    }

    @Test
    void failsNamingTheHeadersFoundAndTheBestGuessesWhenARequiredFieldHasNoColumn() {
        assertThatThrownBy(() -> mapper.map(List.of("record_id", "full_name", "score", "created_at")))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("price")
                // in the file's order, where the user will look for them
                .hasMessageContaining("headers found [record_id, full_name, score, created_at];")
                .hasMessageContaining("best guesses {price_usd=")
                .hasMessageContaining("0.80");
        assertThatThrownBy(() -> mapper.map(List.of("id", "title", "description", "value")))
                .isInstanceOf(SourceException.class)
                .hasMessageStartingWith("cannot map required field(s) symbol:")
                .hasMessageContaining("symbol=");
    }

    @Test
    void ignoresReservedPayloadKeys() {
        ColumnMapping m = mapper.map(List.of("symbol", "price", Payload.OBSERVED_AT, Payload.PROBLEM));

        assertThat(m.driftEvents()).noneMatch(e -> e.actual() != null && e.actual().startsWith("_etl_"));
    }

    @Test
    void givesTheSameMappingWhateverTheOrderOfTheHeaders() {
        List<String> headers = new ArrayList<>(List.of("ticker", "symbl", "coin", "Price (USD)", "usd_price", "cap",
                "mcap", "vol", "volume", "date", "time", "extra"));
        ColumnMapping expected = mapper.map(headers);
        Random random = new Random(7);
        for (int i = 0; i < 20; i++) {
            Collections.shuffle(headers, random);

            ColumnMapping shuffled = mapper.map(headers);

            assertThat(shuffled.headers()).isEqualTo(expected.headers());
            assertThat(shuffled.driftEvents()).containsExactlyInAnyOrderElementsOf(expected.driftEvents());
        }
    }

    @Test
    void normalizesHeadersToLowerCaseWordsJoinedByUnderscores() {
        assertThat(HeaderMapper.normalize(" Price (USD) ")).isEqualTo("price_usd");
        assertThat(HeaderMapper.normalize("24h-Volume")).isEqualTo("24h_volume");
        assertThat(HeaderMapper.normalize("Mkt.Cap")).isEqualTo("mkt_cap");
    }
}
