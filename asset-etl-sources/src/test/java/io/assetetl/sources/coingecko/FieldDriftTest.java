package io.assetetl.sources.coingecko;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetetl.model.DriftEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FieldDriftTest {

    private static List<String> expectedWith(String added, String... removed) {
        List<String> fields = new ArrayList<>(CoinMarket.EXPECTED_FIELDS);
        fields.removeAll(List.of(removed));
        if (added != null) {
            fields.add(added);
        }
        return fields;
    }

    @Test
    void tellsTheRequiredFieldsMissingFromEveryItemOfAPageFromThoseMissingFromSome() {
        FieldDrift drift = new FieldDrift(CoinMarket.EXPECTED_FIELDS, CoinMarket.REQUIRED_FIELDS);

        assertThat(drift.requiredMissingFromAll(List.of(List.of("id", "symbol"), List.of("symbol", "price"))))
                .containsExactly("current_price");
        assertThat(drift.requiredMissingFromAll(List.of(List.of("id", "symbol"),
                List.of("id", "symbol", "current_price")))).isEmpty();
        assertThat(drift.requiredMissingFromAll(List.of(List.of("name")))).containsExactly("current_price", "id",
                "symbol");
        assertThat(drift.requiredMissingFromAll(List.of())).isEmpty();
    }

    @Test
    void theRecordedShapeIsNoDrift() {
        FieldDrift drift = new FieldDrift(CoinMarket.EXPECTED_FIELDS, CoinMarket.REQUIRED_FIELDS);
        List<List<String>> page = FakeCoinGeckoServer.splitArray(FakeCoinGeckoServer.resource(
                "coingecko/coins_markets_usd_per_page100_2026-04-30.json")).stream()
                .map(MarketItems::fieldNames).flatMap(Optional::stream).toList();

        assertThat(drift.check(page)).isEmpty();
    }

    @Test
    void reportsAddedAndMissingFieldsOncePerReader() {
        FieldDrift drift = new FieldDrift(CoinMarket.EXPECTED_FIELDS, CoinMarket.REQUIRED_FIELDS);

        List<DriftEvent> first = drift.check(List.of(expectedWith("price_change_percentage_7d", "roi"),
                expectedWith(null, "current_price"), CoinMarket.EXPECTED_FIELDS));
        List<DriftEvent> second = drift.check(List.of(expectedWith("price_change_percentage_7d", "roi"),
                expectedWith("sparkline_in_7d")));

        assertThat(first).containsExactly(
                new DriftEvent("field_added", null, "price_change_percentage_7d", 1.0, "ignored"),
                new DriftEvent("field_missing", "roi", null, 1.0, "treated_as_null"),
                new DriftEvent("field_missing", "current_price", null, 1.0, "items_rejected"));
        assertThat(second).containsExactly(new DriftEvent("field_added", null, "sparkline_in_7d", 1.0, "ignored"));
    }
}
