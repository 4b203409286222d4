package io.assetetl.sources.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assetetl.model.Interpretation;
import io.assetetl.model.Observation;
import io.assetetl.model.Rejection;
import io.assetetl.spi.Batch;
import io.assetetl.spi.Source;
import io.assetetl.spi.SourceConfig;
import io.assetetl.spi.SourceContext;
import io.assetetl.spi.SourceException;
import io.assetetl.spi.SourceReader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every sample file of the field ({@code src/test/resources/csv/samples}, copied from public implementations of
 * the same assignment) read by the {@code csv_weird} source, with the numbers checked against the files.
 */
class KasparroSamplesTest {

    private static final Path SAMPLES = Path.of("src/test/resources/csv/samples");

    private record Read(List<Observation> observations, List<Rejection> rejections) {
        Observation symbol(String symbol) {
            return observations.stream().filter(o -> o.sourceSymbol().equals(symbol)).findFirst().orElseThrow();
        }
    }

    private static Read read(String file) throws Exception {
        List<Observation> observations = new ArrayList<>();
        List<Rejection> rejections = new ArrayList<>();
        try (Source source = new WeirdCsvSourceFactory().create("csv_weird",
                SourceConfig.of(Map.of("path", SAMPLES.resolve(file).toString(), "batch_size", "7")),
                SourceContext.defaults());
             SourceReader reader = source.open(Optional.empty())) {
            for (Optional<Batch> b = reader.next(); b.isPresent(); b = reader.next()) {
                for (Interpretation i : b.get().records()) {
                    if (i instanceof Observation o) {
                        observations.add(o);
                    } else {
                        rejections.add((Rejection) i);
                    }
                    assertThat(source.interpret(i.raw())).usingRecursiveComparison().isEqualTo(i);
                }
            }
        }
        return new Read(observations, rejections);
    }

    private static void assertQuote(Observation o, String name, String price, String marketCap, String volume,
            String observedAt) {
        assertThat(o.name()).isEqualTo(name);
        assertThat(o.priceUsd()).isEqualByComparingTo(price);
        assertThat(o.marketCapUsd()).isEqualTo(marketCap == null ? null : new BigDecimal(marketCap));
        assertThat(o.volume24hUsd()).isEqualTo(volume == null ? null : new BigDecimal(volume));
        assertThat(o.observedAt()).isEqualTo(Instant.parse(observedAt));
    }

    private static Instant modifiedAt(String file) throws Exception {
        return Files.getLastModifiedTime(SAMPLES.resolve(file)).toInstant().truncatedTo(ChronoUnit.SECONDS);
    }

    @Test
    void everySampleFileIsCovered() throws Exception {
        try (Stream<Path> files = Files.list(SAMPLES)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".csv"))).hasSize(17);
        }
    }

    @Test
    void avinashAssetsAndItsWeirdTwinWithRenamedHeaders() throws Exception {
        Read clean = read("kasparro-backend-avinash-kumar__data_assets.csv");
        Read weird = read("kasparro-backend-avinash-kumar__data_assets_weird.csv");

        assertThat(clean.observations()).extracting(Observation::sourceSymbol).containsExactly("BTC", "ETH", "SOL");
        assertThat(weird.observations()).extracting(Observation::sourceSymbol).containsExactly("BTC", "ETH", "ADA");
        assertThat(clean.rejections()).isEmpty();
        assertThat(weird.rejections()).isEmpty();
        Instant fileTime = modifiedAt("kasparro-backend-avinash-kumar__data_assets_weird.csv");
        assertQuote(weird.symbol("ADA"), "Cardano", "0.52", null, null, fileTime.toString());
        assertThat(clean.symbol("BTC").priceUsd()).isEqualByComparingTo("42800");
    }

    @Test
    void kritirajsinghQuirkyFileWithCurrencySignsAndSuffixes() throws Exception {
        Read plain = read("kasparro-backend__data_coins.csv");
        Read quirky = read("kasparro-backend__data_coins_quirky.csv");

        String fileTime = modifiedAt("kasparro-backend__data_coins_quirky.csv").toString();
        assertQuote(quirky.symbol("btc"), "Bitcoin", "87000", "1700000000000", null, fileTime);
        assertQuote(quirky.symbol("eth"), "Ethereum", "4800", "600000000000", null, fileTime);
        assertThat(plain.observations()).extracting(Observation::priceUsd, Observation::marketCapUsd)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(new BigDecimal("87000"),
                        new BigDecimal("1700000000000")), org.assertj.core.groups.Tuple.tuple(
                        new BigDecimal("4800"), new BigDecimal("600000000000")));
        assertThat(quirky.rejections()).isEmpty();
    }

    @Test
    void ashinCoinGeckoExportWithLowercaseTickersAndSymbolCollisions() throws Exception {
        Read prices = read("kasparro-backend-Ashin-Mathew__data_crypto_prices.csv");
        Read feed = read("kasparro-backend-Ashin-Mathew__data_crypto_local_feed.csv");

        assertThat(prices.observations()).hasSize(100);
        assertThat(prices.rejections()).isEmpty();
        assertQuote(prices.symbol("btc"), "Bitcoin", "87645", null, null, "2025-12-28T05:56:13.703Z");
        assertQuote(prices.symbol("shib"), "Shiba Inu", "0.00000734", null, null, "2025-12-28T05:56:03.494Z");
        assertThat(prices.observations()).filteredOn(o -> o.sourceSymbol().equals("weth"))
                .extracting(Observation::name).containsExactly("WETH", "Binance-Peg WETH");
        assertThat(prices.observations()).filteredOn(o -> o.sourceSymbol().equals("figr_heloc")).hasSize(1);
        assertThat(feed.observations()).extracting(Observation::sourceSymbol).containsExactly("BTC", "ETH", "ADA");
        assertQuote(feed.symbol("ETH"), "Ethereum", "2361.55", null, null, "2025-01-02T00:00:00Z");
    }

    @Test
    void symbolsWrittenInsideNames() throws Exception {
        Read read = read("kasparro-etl-pipeline-backend-Chitranjan-Kumar-Patel-__data_source1.csv");

        assertThat(read.observations()).hasSize(10);
        assertThat(read.observations()).extracting(Observation::sourceSymbol)
                .containsExactly("BTC", "ETH", "BNB", "SOL", "ADA", "MATIC", "DOT", "LTC", "XRP", "LINK");
        assertQuote(read.symbol("MATIC"), "Polygon", "0.58", null, null, "2024-12-10T09:15:00Z");
        assertQuote(read.symbol("LTC"), "Litecoin", "115.50", null, null, "2024-12-10T09:45:00Z");
    }

    @Test
    void filesWithMarketDataInAliasedColumns() throws Exception {
        Read rishi = read("kasparro-backend-rishi-jha__data_crypto_data.csv");
        Read hariom = read("kasparro-backend-hariom-bhardwaj__data_crypto_market.csv");
        Read crypto = read("kasparro-crypto-etl__data_crypto_data.csv");
        Read vikalp = read("kasparro-backend-vikalp-sharma__data_coins.csv");

        assertThat(rishi.observations()).hasSize(10);
        assertQuote(rishi.symbol("XRP"), "XRP", "0.5842", "31500000000", "1250000000", "2024-01-15T10:30:00Z");
        assertThat(hariom.observations()).hasSize(15);
        assertQuote(hariom.symbol("XLM"), "Stellar", "0.125", "3567890123", null, "2025-12-24T10:00:00Z");
        assertThat(crypto.observations()).hasSize(10);
        assertQuote(crypto.symbol("DOGE"), null, "0.08", "11000000000", "800000000", "2024-01-15T00:00:00Z");
        assertQuote(vikalp.symbol("BTC"), "Bitcoin", "90788", "1812116556202", "36926540459",
                "2025-12-09T13:32:27Z");
        assertThat(rishi.rejections()).isEmpty();
        assertThat(hariom.rejections()).isEmpty();
        assertThat(crypto.rejections()).isEmpty();
    }

    @Test
    void smallFilesWithoutNamesOrWithATrailingBlankLine() throws Exception {
        Read sumit = read("kasparro-backend-Sumit-Verma__data_source.csv");
        Read pranav = read("kasparro-backend-pranav-raj__kasparro-etl-assignment_data_sample.csv");

        assertThat(sumit.observations()).hasSize(5);
        assertQuote(sumit.symbol("SOL"), null, "150.25", null, null, "2025-12-11T10:01:00Z");
        assertThat(pranav.observations()).hasSize(5);
        assertThat(pranav.rejections()).isEmpty();
        assertThat(pranav.symbol("ADA").marketCapUsd()).isEqualByComparingTo("50000000000");
    }

    @Test
    void productsWithoutTickersAreRejectedRowByRow() throws Exception {
        Read read = read("kasparro-backend-venkata_siva_lalitaaditya-duggi__data_source2.csv");

        assertThat(read.observations()).isEmpty();
        assertThat(read.rejections()).hasSize(8).allSatisfy(r -> assertThat(r.reason()).isEqualTo("missing_symbol"));
        assertThat(read.rejections().get(1).raw().payload()).contains("Gadget with \\\"amazing\\\" features");
    }

    @Test
    void filesThatAreNotAssetListsFailNamingTheirHeaders() {
        assertThatThrownBy(() -> read("kasparro-backend-saandeep-sijo__data_sample_data.csv"))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("symbol").hasMessageContaining("[id, title, description, value, category,"
                        + " timestamp]");
        assertThatThrownBy(() -> read("kasparro-backend-venkata_siva_lalitaaditya-duggi__data_source.csv"))
                .isInstanceOf(SourceException.class).hasMessageContaining("symbol");
        assertThatThrownBy(() -> read("kasparro-etl-pipeline-backend-Chitranjan-Kumar-Patel-__data_source2.csv"))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("cannot map required field(s) price")
                .hasMessageContaining("best guesses {price_usd='");
    }
}
