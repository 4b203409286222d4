package io.assetetl.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.assetetl.AssetEtl;
import io.assetetl.run.RunRequest;
import io.assetetl.run.SourceDefinition;
import io.assetetl.spi.SourceConfig;
import io.assetetl.testing.ListSourceFactory;
import io.assetetl.testing.TestDatabase;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The database-rendered page says exactly what the typed page says, to the digit, whatever the filters. */
class AssetQueriesIT {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final TestDatabase DB = TestDatabase.create();
    private static AssetQueries queries;
    private static AssetEtl etl;

    @BeforeAll
    static void load() {
        ListSourceFactory.dataset("aq-one", List.of(
                "BTC,,100.10,1700000000", "ETH,,10.5,1700000000.25", "ADA,,0.000100,1700000000.123456",
                "XRP,,12345678.123456789,1700000000", "DOT,,7,1700000001", "SOL,,42.00,1700000002"));
        ListSourceFactory.dataset("aq-two", List.of(
                "BTC,,110.255,1700000100", "ETH,,11.25,1700000000.5", "ADA,,0.0001,1700000000",
                "XRP,,12345678.123456788,1700000000.1", "DOT,,9,1700000001"));
        ListSourceFactory.dataset("aq-three", List.of("BTC,,120,1700000050", "DOT,,8,1700000003"));
        etl = AssetEtl.builder().dataSource(DB.dataSource()).discoverFactories(false)
                .factory(new ListSourceFactory())
                .source(SourceDefinition.of("one", "list", SourceConfig.of(Map.of("dataset", "aq-one"))))
                .source(SourceDefinition.of("two", "list", SourceConfig.of(Map.of("dataset", "aq-two"))))
                .source(SourceDefinition.of("three", "list", SourceConfig.of(Map.of("dataset", "aq-three"))))
                .build();
        etl.run(RunRequest.of("one"));
        etl.run(RunRequest.of("two"));
        etl.run(RunRequest.of("three"));
        queries = new AssetQueries(DB.jdbi(), new BigDecimal("0.05"));
    }

    @Test
    void theLibrarysQueriesTakeASymbolAsAUserWritesItInAnyCaseAndByItsAlias() {
        AssetQueries assets = etl.assets();

        assertThat(assets.find("btc")).map(AssetView::symbol).contains("BTC");
        assertThat(assets.find(" xbt\t")).as("XBT is BTC by the default identity rules").map(AssetView::symbol)
                .contains("BTC");
        assertThat(assets.exists("Eth")).isTrue();
        assertThat(assets.history("dot", new HistoryFilter(Optional.empty(), Optional.empty(), Optional.empty(),
                10))).extracting(Quote::source).containsExactly("three", "one", "two");
        AssetFilter sol = AssetFilter.ALL.withSymbol("sol");
        assertThat(assets.page(sol, Optional.empty(), 10).assets()).extracting(AssetView::symbol)
                .containsExactly("SOL");
        assertThat(assets.pageJson(sol, Optional.empty(), 10).items()).hasSize(1);

        assertThat(assets.find(" ")).as("nothing names no asset").isEmpty();
        assertThat(assets.exists("")).isFalse();
        assertThat(assets.history(" ", new HistoryFilter(Optional.empty(), Optional.empty(), Optional.empty(), 10)))
                .isEmpty();
        assertThat(assets.page(AssetFilter.ALL.withSymbol(" "), Optional.empty(), 10).assets()).isEmpty();
    }

    @Test
    void renderedAssetsCarryTheTypedPagesValuesToTheDigit() throws Exception {
        AssetQueries.JsonPage rendered = queries.pageJson(AssetFilter.ALL, Optional.empty(), 50);
        AssetPage typed = queries.page(AssetFilter.ALL, Optional.empty(), 50);

        assertThat(rendered.items()).hasSize(6);
        List<Map<String, Object>> expected = typed.assets().stream().map(AssetQueriesIT::expected).toList();
        List<Map<String, Object>> actual = new ArrayList<>();
        for (String item : rendered.items()) {
            actual.add(actual(JSON.readTree(item)));
        }
        assertThat(actual).isEqualTo(expected);
        assertThat(rendered.lastSymbol()).isEqualTo(typed.lastSymbol()).isEmpty();
    }

    @Test
    void aReaderWithAnotherThresholdGetsItemsRenderedForItsOwn() throws Exception {
        AssetQueries strict = new AssetQueries(DB.jdbi(), new BigDecimal("0.001"));
        AssetQueries lenient = new AssetQueries(DB.jdbi(), new BigDecimal("0.5"));
        for (AssetQueries reader : List.of(strict, lenient)) {
            List<Map<String, Object>> actual = new ArrayList<>();
            for (String item : reader.pageJson(AssetFilter.ALL, Optional.empty(), 50).items()) {
                actual.add(actual(JSON.readTree(item)));
            }
            assertThat(actual).isEqualTo(reader.page(AssetFilter.ALL, Optional.empty(), 50).assets().stream()
                    .map(AssetQueriesIT::expected).toList());
        }
        assertThat(DB.count("asset_summaries WHERE item IS NOT NULL AND item_threshold = 0.05"))
                .as("the load rendered every summary with its own threshold").isEqualTo(6);
    }

    @Test
    void renderedValuesAreTheExactMedianAndIsoInstants() throws Exception {
        Map<String, JsonNode> bySymbol = new LinkedHashMap<>();
        for (String item : queries.pageJson(AssetFilter.ALL, Optional.empty(), 50).items()) {
            JsonNode node = JSON.readTree(item);
            bySymbol.put(node.get("canonical_symbol").asText(), node);
        }
        JsonNode btc = bySymbol.get("BTC");
        assertThat(btc.get("price_usd").decimalValue().toPlainString()).isEqualTo("110.255");
        assertThat(btc.get("divergent_sources").toString()).isEqualTo("[\"one\",\"three\"]");
        assertThat(btc.get("observed_at").asText()).isEqualTo("2023-11-14T22:15:00Z");
        assertThat(bySymbol.get("ETH").get("price_usd").decimalValue().toPlainString()).isEqualTo("10.875");
        assertThat(bySymbol.get("ETH").get("observed_at").asText()).isEqualTo("2023-11-14T22:13:20.500Z");
        assertThat(bySymbol.get("ADA").get("sources").get(0).get("observed_at").asText())
                .isEqualTo("2023-11-14T22:13:20.123456Z");
        assertThat(bySymbol.get("ADA").get("price_usd").decimalValue().toPlainString()).isEqualTo("0.0001");
        assertThat(bySymbol.get("XRP").get("price_usd").decimalValue().toPlainString())
                .as("the mean of the middle two, not rounded to 16 digits").isEqualTo("12345678.1234567885");
        assertThat(bySymbol.get("SOL").get("price_usd").decimalValue().toPlainString()).isEqualTo("42");
    }

    @Test
    void theLargestLimitListsEveryAssetOnOnePage() {
        AssetPage page = queries.page(AssetFilter.ALL, Optional.empty(), Integer.MAX_VALUE);
        AssetQueries.JsonPage rendered = queries.pageJson(AssetFilter.ALL, Optional.empty(), Integer.MAX_VALUE);

        assertThat(page.assets()).hasSize(queries.page(AssetFilter.ALL, Optional.empty(), 500).assets().size());
        assertThat(page.lastSymbol()).isEmpty();
        assertThat(rendered.items()).hasSameSizeAs(page.assets());
        assertThat(rendered.lastSymbol()).isEmpty();
    }

    @Test
    void renderedPagesFollowTheSameFiltersAndCursor() {
        List<AssetFilter> filters = List.of(AssetFilter.ALL,
                new AssetFilter(Optional.empty(), Optional.of("three"), Optional.empty(), Optional.empty()),
                new AssetFilter(Optional.empty(), Optional.empty(), Optional.of(new BigDecimal("8")),
                        Optional.of(new BigDecimal("200"))),
                new AssetFilter(Optional.of("ETH"), Optional.empty(), Optional.empty(), Optional.empty()));
        for (AssetFilter filter : filters) {
            for (Optional<String> after : List.of(Optional.<String>empty(), Optional.of("BTC"))) {
                for (int limit : new int[] {1, 2, 50}) {
                    AssetPage typed = queries.page(filter, after, limit);
                    AssetQueries.JsonPage rendered = queries.pageJson(filter, after, limit);
                    assertThat(rendered.items().stream().map(AssetQueriesIT::symbol).toList())
                            .as("%s after %s limit %d", filter, after, limit)
                            .isEqualTo(typed.assets().stream().map(AssetView::symbol).toList());
                    assertThat(rendered.lastSymbol()).isEqualTo(typed.lastSymbol());
                }
            }
        }
    }

    private static String symbol(String item) {
        try {
            return JSON.readTree(item).get("canonical_symbol").asText();
        } catch (Exception e) {
            throw new AssertionError(item, e);
        }
    }

    /** The object an API writes for {@code asset}, from the typed values. */
    private static Map<String, Object> expected(AssetView asset) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("symbol", asset.symbol());
        item.put("name", asset.name());
        item.put("price_usd", asset.consensus().medianPriceUsd().toPlainString());
        item.put("observed_at", asset.sources().stream().map(SourcePrice::observedAt).filter(Objects::nonNull)
                .max(Comparator.naturalOrder()).map(Instant::toString).orElse(null));
        item.put("sources", asset.sources().stream().map(s -> List.of(s.source(), s.sourceSymbol(),
                s.priceUsd().toPlainString(), s.observedAt().toString())).toList());
        item.put("divergent_sources", asset.consensus().divergent());
        item.put("canonical_symbol", asset.symbol());
        return item;
    }

    private static Map<String, Object> actual(JsonNode node) {
        assertThat(node.size()).as("fields of %s", node).isEqualTo(7);
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("symbol", node.get("symbol").asText());
        item.put("name", node.get("name").isNull() ? null : node.get("name").asText());
        item.put("price_usd", node.get("price_usd").decimalValue().toPlainString());
        item.put("observed_at", node.get("observed_at").asText());
        List<List<String>> sources = new ArrayList<>();
        node.get("sources").forEach(s -> {
            assertThat(s.size()).as("fields of %s", s).isEqualTo(4);
            sources.add(List.of(s.get("source").asText(), s.get("symbol").asText(),
                    s.get("price_usd").decimalValue().toPlainString(), s.get("observed_at").asText()));
        });
        item.put("sources", sources);
        List<String> divergent = new ArrayList<>();
        node.get("divergent_sources").forEach(d -> divergent.add(d.asText()));
        item.put("divergent_sources", divergent);
        item.put("canonical_symbol", node.get("canonical_symbol").asText());
        return item;
    }
}
