package io.assetetl.sources.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.assetetl.model.DriftEvent;
import io.assetetl.spi.SourceException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CleanCsvFlavorTest {

    private final CleanCsvFlavor flavor = new CleanCsvFlavor();

    private ColumnMapping mapHeaderLine(String... headers) {
        return flavor.map(headers, Payload.keys(headers));
    }

    @Test
    void aSemicolonSeparatedFileFailsSayingThatTheCsvSourceReadsCommasOnly() {
        assertThatThrownBy(() -> mapHeaderLine("symbol;name;price_usd")).isInstanceOf(SourceException.class)
                .hasMessage("the csv file has no 'symbol' column; headers found [symbol;name;price_usd]; the header"
                        + " line is separated by ';', and the csv source reads commas only (csv_weird finds the"
                        + " delimiter); the csv_weird source maps other header names");
    }

    @Test
    void aBinaryFirstLineIsListedWithoutItsControlCharactersAndCutShort() {
        String binary = "PK\u0003\u0004\u0014\u0000\u0008" + "x".repeat(60);

        assertThatThrownBy(() -> mapHeaderLine(binary, "\u0001\u0002")).isInstanceOf(SourceException.class)
                .hasMessage("the csv file has no 'symbol' column; headers found [PK?????" + "x".repeat(33)
                        + "…, ??]; the csv_weird source maps other header names");
    }

    @Test
    void recordsEveryOtherColumnOfAMappedFieldAsAnIgnoredDuplicate() {
        ColumnMapping m = mapHeaderLine("symbol", "name", "price_usd", "price_usd", "price", "timestamp", "Name");

        assertThat(m.header(Field.PRICE)).isEqualTo("price_usd");
        assertThat(m.header(Field.NAME)).isEqualTo("name");
        assertThat(m.driftEvents()).extracting(DriftEvent::kind, DriftEvent::expected, DriftEvent::actual,
                DriftEvent::confidence, DriftEvent::action).containsExactlyInAnyOrder(
                tuple("header_duplicate", "price_usd", "price_usd_2", 1.0, "ignored"),
                tuple("header_duplicate", "price_usd", "price", 1.0, "ignored"),
                tuple("header_duplicate", "name", "Name", 1.0, "ignored"),
                tuple("field_missing", "market_cap_usd", null, 1.0, "ignored"),
                tuple("field_missing", "volume_24h_usd", null, 1.0, "ignored"));
    }

    @Test
    void readsAHeaderRepeatedInAnotherCaseFromItsFirstColumnWhateverTheSortOrderOfTheSpellings() {
        // "SYMBOL" sorts before "Symbol" and "Price" before "price": the column order decides, not the sort order
        ColumnMapping m = mapHeaderLine("Symbol", "SYMBOL", "name", "price", "Price", "timestamp");

        assertThat(m.header(Field.SYMBOL)).isEqualTo("Symbol");
        assertThat(m.header(Field.PRICE)).isEqualTo("price");
        assertThat(m.driftEvents()).extracting(DriftEvent::kind, DriftEvent::expected, DriftEvent::actual,
                DriftEvent::action).containsExactlyInAnyOrder(
                tuple("header_duplicate", "symbol", "SYMBOL", "ignored"),
                tuple("header_duplicate", "price_usd", "Price", "ignored"),
                tuple("field_missing", "market_cap_usd", null, "ignored"),
                tuple("field_missing", "volume_24h_usd", null, "ignored"));
    }

    @Test
    void aPreferredNameBeatsAnEarlierColumnOfALessPreferredOneAndIsReadFromItsFirstColumnInAnyCase() {
        ColumnMapping m = mapHeaderLine("symbol", "PRICE", "price_usd", "Price_USD");

        assertThat(m.header(Field.PRICE)).isEqualTo("price_usd");
    }

    @Test
    void aHeaderThatOnlyLooksLikeARenamedRepeatIsNoDuplicateButAColumnOutsideTheFormat() {
        ColumnMapping m = mapHeaderLine("symbol", "price_usd", "price_usd_2", "market_cap_usd", "notes");

        assertThat(m.header(Field.PRICE)).isEqualTo("price_usd");
        assertThat(m.driftEvents()).extracting(DriftEvent::kind, DriftEvent::expected, DriftEvent::actual,
                DriftEvent::action).containsExactly(
                tuple("header_unmapped", null, "price_usd_2", "ignored"),
                tuple("header_unmapped", null, "notes", "ignored"),
                tuple("field_missing", "name", null, "ignored"),
                tuple("field_missing", "volume_24h_usd", null, "ignored"),
                tuple("field_missing", "timestamp", null, "file_time_used"));
    }

    @Test
    void mapsTheStoredKeysOfARowTheSameWayAsTheHeaderLine() {
        String[] headers = {"symbol", "price_usd", "price_usd", "timestamp"};
        List<String> keys = Payload.keys(headers);

        assertThat(flavor.map(keys).headers()).isEqualTo(flavor.map(headers, keys).headers());
    }
}
