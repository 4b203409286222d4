package io.assetetl.sources.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PayloadTest {

    @Test
    void keysAreTheTrimmedHeadersMadeDistinct() {
        List<String> keys = Payload.keys(new String[] {" symbol ", "price", null, "price", "", "price_2",
            "_etl_observed_at"});

        assertThat(keys).containsExactly("symbol", "price", "column_3", "price_2", "column_5", "price_2_2",
                "__etl_observed_at");
    }

    @Test
    void findsTheFirstKeyOfARepeatedHeaderFromTheKeysAlone() {
        List<String> keys = Payload.keys(new String[] {"symbol", "price", "price", "price", "price_2", "volume",
            "volume_24", "rank_1", "notes_02", "notes"});

        assertThat(keys).containsExactly("symbol", "price", "price_2", "price_3", "price_2_2", "volume",
                "volume_24", "rank_1", "notes_02", "notes");
        Set<String> set = Set.copyOf(keys);
        assertThat(Payload.firstOfRepeat("price_2", set)).hasValue("price");
        assertThat(Payload.firstOfRepeat("price_3", set)).hasValue("price");
        assertThat(Payload.firstOfRepeat("price_2_2", set)).hasValue("price");
        for (String key : List.of("symbol", "price", "volume_24", "rank_1", "notes_02", "notes")) {
            assertThat(Payload.firstOfRepeat(key, set)).as(key).isEmpty();
        }
    }

    @Test
    void aRowIsAJsonObjectKeyedByTheFileHeadersAndReadsBackAsWritten() {
        List<String> keys = List.of("symbol", "name", "price");

        String json = new Payload().write(keys, new String[] {"BTC", "Bit\"coin\n€ 🚀", null}, null, null, false);

        assertThat(json).isEqualTo("{\"symbol\":\"BTC\",\"name\":\"Bit\\\"coin\\n€ 🚀\",\"price\":null}");
        assertThat(Payload.read(json)).containsExactly(entry("symbol", "BTC"), entry("name", "Bit\"coin\n€ 🚀"),
                entry("price", null));
    }

    @Test
    void escapesEveryValueAsAJacksonGeneratorDoes() throws Exception {
        String[] values = {"a\\b", "tab\there", "\u0000\u0001\u001f\u007f", "quote\"", "é€🚀\uD800", "</script>",
            "\r\n", null};
        List<String> keys = List.of("k\"1", "k2", "k3", "k4", "k5", "k6", "k7", "k8");
        Map<String, String> expected = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            expected.put(keys.get(i), values[i]);
        }

        String json = new Payload().write(keys, values, null, null, false);

        assertThat(json).isEqualTo(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(expected));
    }

    @Test
    void eachRowIsKeyedByTheHeadersItIsWrittenWithWhenTheyChange() {
        Payload payload = new Payload();
        List<String> first = List.of("symbol", "price");

        String a = payload.write(first, new String[] {"BTC", "1"}, null, null, false);
        String b = payload.write(List.of("ticker", "usd"), new String[] {"ETH", "2"}, null, null, false);
        String c = payload.write(first, new String[] {"SOL", "3"}, null, null, false);

        assertThat(a).isEqualTo("{\"symbol\":\"BTC\",\"price\":\"1\"}");
        assertThat(b).isEqualTo("{\"ticker\":\"ETH\",\"usd\":\"2\"}");
        assertThat(c).isEqualTo("{\"symbol\":\"SOL\",\"price\":\"3\"}");
    }

    @Test
    void whatARowNeedsBeyondItsCellsGoesUnderReservedKeys() {
        Payload payload = new Payload();
        List<String> keys = List.of("symbol", "price");

        String shortRow = payload.write(keys, new String[] {"BTC"}, null, "expected 2 fields, found 1", false);
        String longRow = payload.write(keys, new String[] {"BTC", "1", "x", "y"}, null, "expected 2 fields, found 4",
                false);
        String undated = payload.write(keys, new String[] {"BTC", "1"}, "2025-01-15T08:30:00Z", null, false);

        assertThat(Payload.read(shortRow)).containsExactly(entry("symbol", "BTC"), entry("price", null),
                entry(Payload.PROBLEM, "expected 2 fields, found 1"));
        assertThat(longRow).contains("\"_etl_extra\":[\"x\",\"y\"]");
        assertThat(Payload.read(longRow)).doesNotContainKey(Payload.EXTRA);
        assertThat(Payload.read(undated)).isEqualTo(Map.of("symbol", "BTC", "price", "1", Payload.OBSERVED_AT,
                "2025-01-15T08:30:00Z"));
    }

    @Test
    void aRowCanKeepTheOrderOfItsKeysInAnArrayThatIsReadBackApartFromItsCells() {
        Payload payload = new Payload();
        List<String> keys = List.of("Symbol", "SYMBOL", "price");

        String json = payload.write(keys, new String[] {"ETH", "BTC", "1"}, "2025-01-15T08:30:00Z", null, true);
        String without = payload.write(keys, new String[] {"ETH", "BTC", "1"}, null, null, false);

        assertThat(json).isEqualTo("{\"Symbol\":\"ETH\",\"SYMBOL\":\"BTC\",\"price\":\"1\","
                + "\"_etl_columns\":[\"Symbol\",\"SYMBOL\",\"price\"],"
                + "\"_etl_observed_at\":\"2025-01-15T08:30:00Z\"}");
        assertThat(without).doesNotContain(Payload.COLUMNS);
        // as PostgreSQL returns it: keys by length, then bytes; an array in its order
        Payload.Stored stored = Payload.parse("{\"price\": \"1\", \"SYMBOL\": \"BTC\", \"Symbol\": \"ETH\", "
                + "\"_etl_columns\": [\"Symbol\", \"SYMBOL\", \"price\"], "
                + "\"_etl_observed_at\": \"2025-01-15T08:30:00Z\"}");
        assertThat(stored.columns()).containsExactly("Symbol", "SYMBOL", "price");
        assertThat(stored.cells()).containsOnly(entry("price", "1"), entry("SYMBOL", "BTC"), entry("Symbol", "ETH"),
                entry(Payload.OBSERVED_AT, "2025-01-15T08:30:00Z"));
        assertThat(Payload.parse(without).columns()).isEmpty();
    }

    @Test
    void readsPayloadsAsPostgresqlReturnsThemWithKeysReordered() {
        assertThat(Payload.read("{\"price\": \"1\", \"symbol\": \"BTC\", \"_etl_observed_at\": \"2025-01-15T08:30:00Z\"}"))
                .containsEntry("symbol", "BTC").containsEntry("price", "1").hasSize(3);
    }
}
