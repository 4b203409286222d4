package io.assetetl.sources.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.assetetl.model.DriftEvent;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class WeirdCsvFlavorTest {

    private final WeirdCsvFlavor flavor = new WeirdCsvFlavor(WeirdCsvSourceConfig.DEFAULT_FUZZY_THRESHOLD,
            DateOrder.UNSPECIFIED, DecimalMark.UNSPECIFIED, ZoneOffset.UTC);

    private ColumnMapping mapHeaderLine(String... headers) {
        return flavor.map(headers, Payload.keys(headers));
    }

    @Test
    void readsARepeatedHeaderFromItsFirstColumnAndRecordsTheOtherAsAnIgnoredDuplicate() {
        ColumnMapping m = mapHeaderLine("symbol", "name", "price", "price");

        assertThat(m.header(Field.PRICE)).isEqualTo("price");
        assertThat(m.header(Field.TIMESTAMP)).as("a second price column is no timestamp").isNull();
        assertThat(m.driftEvents()).extracting(DriftEvent::kind, DriftEvent::expected, DriftEvent::actual,
                DriftEvent::action).contains(tuple("header_duplicate", "price_usd", "price_2", "ignored"))
                .doesNotContain(tuple("header_fuzzy", "timestamp", "price_2", "mapped"));
    }

    @Test
    void mapsTheStoredKeysOfARowTheSameWayAsTheHeaderLine() {
        String[] headers = {"Ticker", "Coin Name", "Price (USD)", "Price (USD)", "Volum 24h", "Volum 24h"};
        List<String> keys = Payload.keys(headers);

        assertThat(flavor.map(keys).headers()).isEqualTo(flavor.map(headers, keys).headers())
                .doesNotContainValue("Price (USD)_2").doesNotContainValue("Volum 24h_2");
    }
}
