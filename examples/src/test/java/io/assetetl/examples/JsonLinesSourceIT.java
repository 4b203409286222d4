package io.assetetl.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetetl.AssetEtl;
import io.assetetl.run.RunRequest;
import io.assetetl.run.RunResult;
import io.assetetl.run.RunStatus;
import io.assetetl.run.SourceDefinition;
import io.assetetl.spi.SourceConfig;
import io.assetetl.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example feed as it changes between runs: lines appended, or the whole file replaced by the next day's. */
class JsonLinesSourceIT {

    private static final String DAY_ONE = """
            {"ticker":"BTC","usd":64000.5,"ts":"2024-05-01T00:00:00Z"}
            {"ticker":"ETH","usd":3100,"ts":"2024-05-01T00:00:00Z"}
            """;

    @TempDir
    Path dir;

    private final TestDatabase db = TestDatabase.create();

    @Test
    void linesAppendedToTheFeedAreReadFromWhereTheLastRunEnded() throws Exception {
        Path feed = Files.writeString(dir.resolve("prices.jsonl"), DAY_ONE);
        AssetEtl etl = etl(feed);
        etl.run(RunRequest.of("feed"));

        Files.writeString(feed, "{\"ticker\":\"BTC\",\"usd\":64100,\"ts\":\"2024-05-01T01:00:00Z\"}\n",
                StandardOpenOption.APPEND);
        RunResult appended = etl.run(RunRequest.of("feed"));

        assertThat(appended.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(appended.processed()).isEqualTo(1);
        assertThat(appended.loaded()).isEqualTo(1);
        assertThat(db.count("raw_records")).isEqualTo(3);
    }

    @Test
    void aFeedReplacedByTheNextDaysIsReadAfreshAndKeepsBothDaysRawLines() throws Exception {
        Path feed = Files.writeString(dir.resolve("prices.jsonl"), DAY_ONE);
        AssetEtl etl = etl(feed);
        etl.run(RunRequest.of("feed"));

        Files.writeString(feed, """
                {"ticker":"BTC","usd":65000,"ts":"2024-05-02T00:00:00Z"}
                {"ticker":"ETH","usd":3200,"ts":"2024-05-02T00:00:00Z"}
                """);
        RunResult nextDay = etl.run(RunRequest.of("feed"));

        assertThat(nextDay.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(nextDay.loaded()).isEqualTo(2);
        assertThat(btcPrice()).isEqualTo("65000");
        assertThat(db.count("raw_records")).isEqualTo(4);
        assertThat(etl.reprocess("feed").status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(btcPrice()).as("rebuilt from the raw lines of both days").isEqualTo("65000");
    }

    @Test
    void badLinesAreRejectedAndPricesKeepEveryDigitTheyWereWrittenWith() throws Exception {
        Path feed = Files.writeString(dir.resolve("prices.jsonl"), """
                {"ticker":"BTC","usd":1234567890.123456789,"ts":"2024-05-01T00:00:00Z"}
                {"ticker":"","usd":1,"ts":"2024-05-01T00:00:00Z"}
                {"ticker":{},"usd":1,"ts":"2024-05-01T00:00:00Z"}
                {"ticker":"ETH","usd":1e400,"ts":"2024-05-01T00:00:00Z"}
                [1, 2]
                """);

        RunResult result = etl(feed).run(RunRequest.of("feed"));

        assertThat(result.status()).as(result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.loaded()).isEqualTo(1);
        assertThat(btcPrice()).isEqualTo("1234567890.123456789");
        List<String> reasons = db.jdbi().withHandle(h -> h.createQuery("SELECT reason FROM etl_rejects ORDER BY id")
                .mapTo(String.class).list());
        assertThat(reasons).containsExactly("missing_symbol", "missing_symbol", "invalid_price", "unparseable_row");
    }

    @Test
    void aLineThatIsNotUtf8IsRejectedAndTheRunGoesOnAlsoWhenReprocessed() throws Exception {
        byte[] notUtf8 = "{\"ticker\":\"ET\u00ff\",\"usd\":1,\"ts\":\"2024-05-01T00:00:00Z\"}\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        Path feed = Files.writeString(dir.resolve("prices.jsonl"), DAY_ONE);
        Files.write(feed, notUtf8, StandardOpenOption.APPEND);
        Files.writeString(feed, "{\"ticker\":\"SOL\",\"usd\":150,\"ts\":\"2024-05-01T00:00:00Z\"}\n",
                StandardOpenOption.APPEND);
        AssetEtl etl = etl(feed);

        RunResult result = etl.run(RunRequest.of("feed"));

        assertThat(result.status()).as(result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.loaded()).isEqualTo(3);
        assertThat(result.rejected()).isEqualTo(1);
        String reject = db.jdbi().withHandle(h -> h.createQuery("SELECT reason || ': ' || detail FROM etl_rejects")
                .mapTo(String.class).one());
        assertThat(reject).isEqualTo("unparseable_row: line is not UTF-8");
        RunResult rebuilt = etl.reprocess("feed");
        assertThat(rebuilt.rejected()).as("the raw line keeps that it was not UTF-8").isEqualTo(1);
        assertThat(db.count("assets")).isEqualTo(3);
    }

    @Test
    void linesEndedByACarriageReturnAloneOrWithALineFeedAreEachOneLine() throws Exception {
        Path feed = Files.writeString(dir.resolve("prices.jsonl"),
                "{\"ticker\":\"BTC\",\"usd\":1,\"ts\":\"2024-05-01T00:00:00Z\"}\r"
                + "{\"ticker\":\"ETH\",\"usd\":2,\"ts\":\"2024-05-01T00:00:00Z\"}\r\n"
                + "{\"ticker\":\"SOL\",\"usd\":3,\"ts\":\"2024-05-01T00:00:00Z\"}\r");

        RunResult result = etl(feed).run(RunRequest.of("feed"));

        assertThat(result.status()).as(result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(List.of(result.processed(), result.loaded())).containsExactly(3L, 3L);
    }

    private AssetEtl etl(Path feed) {
        return AssetEtl.builder().dataSource(db.dataSource()).discoverFactories(false)
                .factory(new JsonLinesSourceFactory())
                .source(SourceDefinition.of("feed", "jsonl", SourceConfig.of(Map.of("path", feed.toString()))))
                .build();
    }

    private String btcPrice() {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT s.price_usd::text FROM asset_sources s JOIN assets a ON a.id = s.asset_id
                WHERE a.canonical_symbol = 'BTC'""").mapTo(String.class).one());
    }
}
