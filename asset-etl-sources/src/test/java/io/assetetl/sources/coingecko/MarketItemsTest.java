package io.assetetl.sources.coingecko;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetetl.model.Interpretation;
import io.assetetl.model.Observation;
import io.assetetl.model.RawRecord;
import io.assetetl.model.RejectReason;
import io.assetetl.model.Rejection;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MarketItemsTest {

    private static final Instant FETCHED = Instant.parse("2026-04-30T02:30:00.123Z");

    private static List<String> fixture(String name) {
        return FakeCoinGeckoServer.splitArray(FakeCoinGeckoServer.resource("coingecko/" + name));
    }

    private static Interpretation read(String json) {
        return MarketItems.interpret(MarketItems.raw(json, 1, 0, FETCHED));
    }

    @Test
    void everyRecordedTopCoinBecomesAnObservationKeyedByItsCoinGeckoId() {
        List<String> items = fixture("coins_markets_usd_per_page250_pcp_1h_24h_1y_precision_full_2025-02-09.json");

        List<Interpretation> read = items.stream().map(MarketItemsTest::read).toList();

        assertThat(read).hasSize(250).allMatch(Observation.class::isInstance);
        Map<String, Observation> byId = read.stream().map(Observation.class::cast)
                .collect(Collectors.toMap(Observation::sourceId, Function.identity()));
        assertThat(byId).hasSize(250);
        assertThat(read.stream().map(i -> ((Observation) i).sourceSymbol()).filter("weth"::equals)).hasSize(5);
        Observation bitcoin = byId.get("bitcoin");
        assertThat(bitcoin.sourceSymbol()).isEqualTo("btc");
        assertThat(bitcoin.name()).isEqualTo("Bitcoin");
        assertThat(bitcoin.observedAt()).isEqualTo(Instant.parse("2025-02-09T17:44:04.143Z"));
    }

    @Test
    void decodesIntegersDecimalsAndExponentsExactly() {
        String json = """
                {"id":"tiny","symbol":"tny","name":"Tiny","current_price":5.158e-05,"market_cap":1525711563723,
                 "total_volume":20022396.0,"last_updated":"2026-04-30T02:29:06.506Z"}""";

        Observation tiny = (Observation) read(json);

        assertThat(tiny.priceUsd()).isEqualByComparingTo(new BigDecimal("0.00005158"));
        assertThat(tiny.marketCapUsd()).isEqualTo(new BigDecimal("1525711563723"));
        assertThat(tiny.volume24hUsd()).isEqualTo(new BigDecimal("20022396.0"));
    }

    @Test
    void numbersAreStorableUpToPostgresNumericLimitsOnEitherSideOfThePoint() {
        assertThat(MarketItems.storable("{\"a\":1E+131071,\"b\":1E-16383,\"c\":-" + "9".repeat(131_072) + "}"))
                .isTrue();
        assertThat(MarketItems.storable("{\"a\":1E+131072}")).isFalse();
        assertThat(MarketItems.storable("{\"a\":1E-16384}")).isFalse();
        assertThat(MarketItems.storable("{\"a\":1.5E-16383}")).isFalse();
        assertThat(MarketItems.storable("{\"a\":" + "9".repeat(131_073) + "}")).isFalse();
        assertThat(MarketItems.storable("{\"a\":[1, {\"b\":1E-20000}]}")).as("nested").isFalse();
    }

    @Test
    void aNumberWhoseExponentJavaCannotHoldIsKeptAsAnUnstorableItemAndRejected() {
        String json = """
                {"id":"far","symbol":"far","current_price":1,"circulating_supply":1E-9999999999,
                 "last_updated":"2026-04-30T02:29:06.506Z"}""";

        assertThat(MarketItems.storable(json)).isFalse();
        RawRecord.ApiItem raw = MarketItems.raw(json, 1, 0, FETCHED);
        assertThat(raw.payload()).startsWith("{\"" + MarketItems.UNSTORABLE_ITEM + "\":");
        assertThat(read(json)).isInstanceOfSatisfying(Rejection.class,
                r -> assertThat(r.reason()).isEqualTo(RejectReason.INVALID_NUMBER));
        assertThat(MarketItems.fieldNames(json)).contains(
                List.of("id", "symbol", "current_price", "circulating_supply", "last_updated"));
    }

    @Test
    void fieldNamesAreAnObjectsOwnAndNoneForAnythingElse() {
        assertThat(MarketItems.fieldNames("{\"a\":{\"x\":1},\"b\":[1,{\"y\":2}],\"c\":null}"))
                .contains(List.of("a", "b", "c"));
        assertThat(MarketItems.fieldNames("null")).isEmpty();
        assertThat(MarketItems.fieldNames("\"bitcoin\"")).isEmpty();
        assertThat(MarketItems.fieldNames("[1]")).isEmpty();
        assertThat(MarketItems.fieldNames("{not json")).isEmpty();
    }

    @Test
    void keepsTheItemTextAsReceivedAndKeysItByIdLastUpdatedAndContent() {
        String json = fixture("coins_markets_usd_per_page100_2026-04-30.json").get(0);

        RawRecord.ApiItem raw = MarketItems.raw(json, 3, 7, FETCHED);

        assertThat(raw.payload()).isEqualTo(json);
        assertThat(raw.recordKey()).matches("bitcoin@2026-04-30T02:29:06\\.506Z#[0-9a-f]{16}");
        assertThat(MarketItems.raw(json, 4, 0, FETCHED.plusSeconds(60)).recordKey()).as("fetched again")
                .isEqualTo(raw.recordKey());
        assertThat(MarketItems.raw(json.replaceFirst("\"current_price\":[0-9.]+", "\"current_price\":1.5"), 3, 7,
                FETCHED).recordKey()).as("other values at the same time").isNotEqualTo(raw.recordKey())
                .startsWith("bitcoin@2026-04-30T02:29:06.506Z#");
        assertThat(raw.page()).isEqualTo(3);
        assertThat(raw.index()).isEqualTo(7);
        assertThat(raw.position()).isEqualTo("page 3 item 7");
    }

    @Test
    void badItemsBecomeRejectionsWithTheirReasons() {
        List<Interpretation> read = fixture("coins_markets_bad_items.json").stream()
                .map(MarketItemsTest::read).toList();

        assertThat(read).allMatch(Rejection.class::isInstance);
        assertThat(read).extracting(i -> ((Rejection) i).reason()).containsExactly(
                RejectReason.INVALID_PRICE, RejectReason.INVALID_PRICE, RejectReason.INVALID_PRICE,
                RejectReason.MISSING_SYMBOL, RejectReason.INVALID_NUMBER);
        assertThat(((Rejection) read.get(0)).detail()).isEqualTo("coin no-price-coin has current_price null");
        assertThat(((Rejection) read.get(2)).detail()).isEqualTo("coin negative-price-coin has current_price -0.0015");
        assertThat(((Rejection) read.get(4)).detail()).isEqualTo("market_cap is not a number: lots");
    }

    @Test
    void anItemWithoutSymbolOrIdIsRejected() {
        assertThat(((Rejection) read("{\"id\":\"x\",\"current_price\":1}")).reason())
                .isEqualTo(RejectReason.MISSING_SYMBOL);
        assertThat(((Rejection) read("{\"id\":\"x\",\"symbol\":\"   \",\"current_price\":1}")).reason())
                .isEqualTo(RejectReason.MISSING_SYMBOL);
        Rejection noId = (Rejection) read("{\"symbol\":\"abc\",\"current_price\":1}");
        assertThat(noId.reason()).isEqualTo("missing_id");
        assertThat(((RawRecord.ApiItem) noId.raw()).recordKey()).startsWith("sha256:");
    }

    @Test
    void anItemWhoseIdIsLongerThanAnyIsKeyedByItsContentAndRejected() {
        String id = "x".repeat(6000);
        RawRecord.ApiItem raw = MarketItems.raw("{\"id\":\"" + id + "\",\"symbol\":\"x\",\"current_price\":1,"
                + "\"last_updated\":\"2026-04-30T02:00:00Z\"}", 1, 0, FETCHED);

        assertThat(raw.recordKey()).startsWith("sha256:");
        // the engine rejects the observation: its id is longer than any asset's
        assertThat(((Observation) MarketItems.interpret(raw)).sourceId()).isEqualTo(id);
    }

    @Test
    void anUnreadableTimestampOrItemIsRejected() {
        assertThat(((Rejection) read("{\"id\":\"x\",\"symbol\":\"x\",\"current_price\":1,\"last_updated\":\"soon\"}"))
                .reason()).isEqualTo(RejectReason.INVALID_TIMESTAMP);
        assertThat(((Rejection) read("[1,2]")).reason()).isEqualTo(RejectReason.UNPARSEABLE_ROW);
        Rejection cut = (Rejection) read("{\"id\":\"x\",");
        assertThat(cut.reason()).isEqualTo(RejectReason.UNPARSEABLE_ROW);
        assertThat(cut.raw().payload()).as("kept as the JSON the raw table holds")
                .isEqualTo("{\"unparseable_item\":\"{\\\"id\\\":\\\"x\\\",\"}");
    }

    @Test
    void aMissingLastUpdatedFallsBackToTheStoredFetchTimeReproducibly() {
        String json = "{\"id\":\"stale\",\"symbol\":\"stl\",\"current_price\":2,\"last_updated\":null}";

        RawRecord.ApiItem raw = MarketItems.raw(json, 1, 0, FETCHED);
        Observation read = (Observation) MarketItems.interpret(raw);
        Observation replayed = (Observation) MarketItems.interpret(
                new RawRecord.ApiItem(raw.recordKey(), raw.page(), raw.index(), raw.fetchedAt(), raw.payload()));

        assertThat(raw.recordKey()).startsWith("stale@2026-04-30T02:30:00.123Z#");
        assertThat(read.observedAt()).isEqualTo(FETCHED);
        assertThat(replayed).isEqualTo(read);
    }

    @Test
    void interpretingTheSamePayloadTwiceGivesEqualObservations() {
        for (String json : fixture("coins_markets_usd_per_page100_2026-04-30.json")) {
            assertThat(read(json)).isEqualTo(read(json));
        }
    }
}
