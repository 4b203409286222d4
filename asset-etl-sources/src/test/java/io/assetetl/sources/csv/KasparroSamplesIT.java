package io.assetetl.sources.csv;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetetl.AssetEtl;
import io.assetetl.run.RunRequest;
import io.assetetl.run.RunResult;
import io.assetetl.run.RunStatus;
import io.assetetl.run.SourceDefinition;
import io.assetetl.spi.SourceConfig;
import io.assetetl.testing.TestDatabase;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every field sample file ingested by the {@code csv_weird} source through the engine, on a real PostgreSQL. */
class KasparroSamplesIT {

    private static final Path SAMPLES = Path.of("src/test/resources/csv/samples");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            kasparro-backend-Ashin-Mathew__data_crypto_local_feed.csv                 | succeeded | 3   | 0 | 3
            kasparro-backend-Ashin-Mathew__data_crypto_prices.csv                     | succeeded | 100 | 0 | 97
            kasparro-backend-Sumit-Verma__data_source.csv                             | succeeded | 5   | 0 | 5
            kasparro-backend-avinash-kumar__data_assets.csv                           | succeeded | 3   | 0 | 3
            kasparro-backend-avinash-kumar__data_assets_weird.csv                     | succeeded | 3   | 0 | 3
            kasparro-backend-hariom-bhardwaj__data_crypto_market.csv                  | succeeded | 15  | 0 | 15
            kasparro-backend-pranav-raj__kasparro-etl-assignment_data_sample.csv      | succeeded | 5   | 0 | 5
            kasparro-backend-rishi-jha__data_crypto_data.csv                          | succeeded | 10  | 0 | 10
            kasparro-backend-saandeep-sijo__data_sample_data.csv                      | failed    | 0   | 0 | 0
            kasparro-backend-venkata_siva_lalitaaditya-duggi__data_source.csv         | failed    | 0   | 0 | 0
            kasparro-backend-venkata_siva_lalitaaditya-duggi__data_source2.csv        | succeeded | 0   | 8 | 0
            kasparro-backend-vikalp-sharma__data_coins.csv                            | succeeded | 1   | 0 | 1
            kasparro-backend__data_coins.csv                                          | succeeded | 2   | 0 | 2
            kasparro-backend__data_coins_quirky.csv                                   | succeeded | 2   | 0 | 2
            kasparro-crypto-etl__data_crypto_data.csv                                 | succeeded | 10  | 0 | 10
            kasparro-etl-pipeline-backend-Chitranjan-Kumar-Patel-__data_source1.csv   | succeeded | 10  | 0 | 10
            kasparro-etl-pipeline-backend-Chitranjan-Kumar-Patel-__data_source2.csv   | failed    | 0   | 0 | 0
            """)
    void ingestsTheSampleFileWithTheExpectedOutcome(String file, String status, long records, long rejected,
            long assets) {
        TestDatabase db = TestDatabase.create();
        AssetEtl etl = AssetEtl.builder().dataSource(db.dataSource())
                .source(SourceDefinition.of("csv_weird", "csv_weird",
                        SourceConfig.of(Map.of("path", SAMPLES.resolve(file).toString()))))
                .build();

        RunResult result = etl.run(RunRequest.of("csv_weird"));

        assertThat(result.status().code()).as(String.valueOf(result.error())).isEqualTo(status);
        assertThat(result.processed() - result.rejected()).as("records accepted").isEqualTo(records);
        assertThat(result.rejected()).isEqualTo(rejected);
        assertThat(db.count("assets")).as("canonical assets").isEqualTo(assets);
        assertThat(db.count("raw_csv_assets")).isEqualTo(result.processed());
        if (result.status() == RunStatus.FAILED) {
            assertThat(result.error()).contains("cannot map required field(s)").contains("headers found");
        }
    }
}
