package io.assetetl.sources.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.assetetl.AssetEtl;
import io.assetetl.run.RunRequest;
import io.assetetl.run.RunResult;
import io.assetetl.run.RunStatus;
import io.assetetl.run.SourceDefinition;
import io.assetetl.sources.testing.Warnings;
import io.assetetl.spi.SourceConfig;
import io.assetetl.testing.TableDigests;
import io.assetetl.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code csv} source run by the engine on a real PostgreSQL. */
class CsvSourceIT {

    private static final String HEADER = "symbol,name,price_usd,market_cap_usd,volume_24h_usd,timestamp\n";
    // modification times of files without a timestamp column
    private static final Instant T1 = Instant.parse("2025-01-15T08:00:00Z");
    private static final Instant T2 = Instant.parse("2025-01-15T09:00:00Z");
    private static final Instant T3 = Instant.parse("2025-01-15T10:00:00Z");

    @TempDir
    Path dir;

    private TestDatabase db;
    private AssetEtl etl;
    private Path file;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create();
        file = dir.resolve("assets.csv");
        etl = etl(db, 3);
    }

    /** The {@code csv} source on {@link #file}, in chunks of {@code batchSize}. */
    private AssetEtl etl(TestDatabase database, int batchSize) {
        return etl(database, batchSize, CsvSourceConfig.DEFAULT_BATCH_BYTES);
    }

    /** The {@code csv} source on {@link #file}, in chunks of {@code batchSize} rows or {@code batchBytes} bytes. */
    private AssetEtl etl(TestDatabase database, int batchSize, int batchBytes) {
        return etl(database, batchSize, batchBytes, Clock.systemUTC());
    }

    private AssetEtl etl(TestDatabase database, int batchSize, int batchBytes, Clock clock) {
        return AssetEtl.builder().dataSource(database.dataSource()).discoverFactories(true).clock(clock)
                .source(SourceDefinition.of("csv", "csv", SourceConfig.of(Map.of("path", file.toString(),
                        "batch_size", Integer.toString(batchSize), "batch_bytes", Integer.toString(batchBytes)))))
                .build();
    }

    private RunResult run() {
        RunResult result = etl.run(RunRequest.of("csv"));
        assertThat(result.processed()).isEqualTo(result.loaded() + result.unchanged() + result.rejected());
        return result;
    }

    private BigDecimal price(String symbol) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT s.price_usd FROM asset_sources s JOIN assets a ON a.id = s.asset_id
                WHERE s.source = 'csv' AND a.canonical_symbol = :symbol""").bind("symbol", symbol)
                .mapTo(BigDecimal.class).one());
    }

    private List<Long> rawLines() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT line_no FROM raw_csv_assets ORDER BY line_no, file_sha256")
                .mapTo(Long.class).list());
    }

    @Test
    void ingestsTheShippedSampleFile() {
        RunResult result = etl.run(RunRequest.of("csv").withSetting("path", "../examples/data/assets.csv"));

        assertThat(result.status()).as(result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.loaded()).isEqualTo(25);
        assertThat(result.rejected()).isZero();
        assertThat(db.count("raw_csv_assets")).isEqualTo(25);
        assertThat(price("BTC")).isEqualByComparingTo("96432.18");
        assertThat(price("SHIB")).isEqualByComparingTo("0.00002135");
    }

    @Test
    void storesEachSymbolAsTheFileWroteItUnderTheAssetOfItsCanonicalSymbol() throws Exception {
        Files.writeString(file, HEADER + "btc,Bitcoin,1,,,2025-01-15T12:00:00Z\n"
                + " Eth ,Ethereum,2,,,2025-01-15T12:00:00Z\nxdg,Dogecoin,3,,,2025-01-15T12:00:00Z\n");

        RunResult result = run();

        assertThat(result.status()).as(result.error()).isEqualTo(RunStatus.SUCCEEDED);
        List<String> symbols = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT a.canonical_symbol || ' ' || s.source_key || ' ' || s.source_symbol
                FROM asset_sources s JOIN assets a ON a.id = s.asset_id ORDER BY 1""").mapTo(String.class).list());
        assertThat(symbols).containsExactly("BTC BTC btc", "DOGE DOGE xdg", "ETH ETH Eth");
    }

    @Test
    void readsEachLineOfAFileMixingUtf8AndWindows1252AsWritten() throws Exception {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.writeBytes((HEADER + "XMR,Monéro,1,,,2025-01-15T12:00:00Z\n").getBytes(StandardCharsets.UTF_8));
        content.writeBytes("ADA,Cardanö,2,,,2025-01-15T12:00:00Z\n".getBytes(Charset.forName("windows-1252")));
        content.writeBytes("EUR,€uro ₿,3,,,2025-01-15T12:00:00Z\n".getBytes(StandardCharsets.UTF_8));
        Files.write(file, content.toByteArray());

        RunResult result = run();

        assertThat(result.status()).as(result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.loaded()).isEqualTo(3);
        List<String> names = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT name FROM asset_sources ORDER BY name").mapTo(String.class).list());
        assertThat(names).containsExactly("Cardanö", "Monéro", "€uro ₿");
    }

    @Test
    void readsNothingOfAnUnchangedFile() throws Exception {
        Files.writeString(file, HEADER + "BTC,Bitcoin,1,,,2025-01-15T12:00:00Z\nETH,Ethereum,2,,,2025-01-15T12:00:00Z\n");
        assertThat(run().loaded()).isEqualTo(2);
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));

        RunResult again = run();

        assertThat(again.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(again.processed()).isZero();
        assertThat(db.count("raw_csv_assets")).isEqualTo(2);
    }

    @Test
    void readsOnlyTheLinesAppendedSinceTheLastRun() throws Exception {
        Files.writeString(file, HEADER + "BTC,Bitcoin,1,,,2025-01-15T12:00:00Z\r\nETH,Ethereum,2,,,2025-01-15T12:00:00Z\r\n"
                + "SOL,Solana,3,,,2025-01-15T12:00:00Z\r\nADA,Cardano,4,,,2025-01-15T12:00:00Z\r\n");
        assertThat(run().processed()).isEqualTo(4);

        Files.writeString(file, "XRP,XRP,5,,,2025-01-15T12:00:00Z\r\n\"DOGE\",\"Doge\ncoin\",6,,,2025-01-15T12:00:00Z\r\n"
                + "LTC,Litecoin,7,,,2025-01-15T12:00:00Z", StandardOpenOption.APPEND);
        // finished: its last line, without a line break, is read (see the tests on the settling time)
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(CsvSource.SETTLE).minusSeconds(1)));
        RunResult appended = run();

        assertThat(appended.processed()).isEqualTo(3);
        assertThat(appended.loaded()).isEqualTo(3);
        assertThat(rawLines()).containsExactly(2L, 3L, 4L, 5L, 6L, 7L, 9L);
        assertThat(run().processed()).isZero();
    }

    @Test
    void aRunOfAnotherFileLeavesTheConfiguredFilesPlaceSoItsNextRunReadsOnlyItsNewLinesAndStoresNoLineTwice()
            throws Exception {
        Files.writeString(file, HEADER + "AAA,A,1,,,2025-01-15T12:00:00Z\nBBB,B,2,,,2025-01-15T12:00:00Z\n"
                + "CCC,C,3,,,2025-01-15T12:00:00Z\n");
        assertThat(run().loaded()).isEqualTo(3);
        Files.writeString(file, "DDD,D,4,,,2025-01-15T12:00:00Z\n", StandardOpenOption.APPEND);
        assertThat(run().loaded()).isEqualTo(1);
        Path other = dir.resolve("other.csv");
        Files.writeString(other, HEADER + "EEE,E,5,,,2025-01-15T12:00:00Z\nFFF,F,6,,,2025-01-15T12:00:00Z\n");
        RunResult once = etl.run(RunRequest.of("csv").withSetting("path", other.toString()));
        assertThat(once.loaded()).isEqualTo(2);
        assertThat(db.count("raw_csv_assets")).isEqualTo(6);

        assertThat(run().processed()).as("the configured file is unchanged since its last run").isZero();
        Files.writeString(file, "GGG,G,7,,,2025-01-15T12:00:00Z\n", StandardOpenOption.APPEND);
        RunResult appended = run();

        assertThat(appended.processed()).isEqualTo(1);
        assertThat(appended.loaded()).isEqualTo(1);
        assertThat(db.count("raw_csv_assets")).as("each line of each file stored once").isEqualTo(7);
        assertThat(etl.run(RunRequest.of("csv").withSetting("path", other.toString())).processed())
                .as("nor does the configured file move the other's place").isZero();
        assertThat(etl.checkpoints("csv")).extracting(c -> c.stream())
                .containsExactlyInAnyOrder(CsvSource.streamOf(file), CsvSource.streamOf(other));
    }

    @Test
    void aCheckpointOfTheSourcesOneStreamAsEarlierVersionsWroteItIsReadForAFileWithoutOneOfItsOwn()
            throws Exception {
        Files.writeString(file, HEADER + "AAA,A,1,,,2025-01-15T12:00:00Z\nBBB,B,2,,,2025-01-15T12:00:00Z\n");
        assertThat(run().loaded()).isEqualTo(2);
        // as a version that kept one checkpoint a source left it
        db.jdbi().useHandle(h -> h.execute("UPDATE etl_checkpoints SET stream = 'default'"));
        Files.writeString(file, "CCC,C,3,,,2025-01-15T12:00:00Z\n", StandardOpenOption.APPEND);

        RunResult appended = run();

        assertThat(appended.processed()).isEqualTo(1);
        assertThat(db.count("raw_csv_assets")).isEqualTo(3);
        assertThat(etl.checkpoints("csv")).extracting(c -> c.stream())
                .containsExactlyInAnyOrder("default", CsvSource.streamOf(file));
        Path other = dir.resolve("other.csv");
        Files.writeString(other, HEADER + "DDD,D,4,,,2025-01-15T12:00:00Z\n");
        assertThat(etl.run(RunRequest.of("csv").withSetting("path", other.toString())).loaded())
                .as("the old checkpoint is of another file: read from the start").isEqualTo(1);
    }

    @Test
    void continuesAfterAnUnterminatedLastLineOnceItGetsItsLineBreak() throws Exception {
        // a finished file without a line break after its last line: that line is read
        Files.writeString(file, HEADER + "BTC,Bitcoin,1,,,2025-01-15T12:00:00Z");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(CsvSource.SETTLE).minusSeconds(1)));
        assertThat(run().processed()).isEqualTo(1);

        Files.writeString(file, "\nETH,Ethereum,2,,,2025-01-15T12:00:00Z\n", StandardOpenOption.APPEND);
        RunResult appended = run();

        assertThat(appended.processed()).isEqualTo(1);
        assertThat(rawLines()).containsExactly(2L, 3L);
    }

    @Test
    void aLastLineWithoutLineBreakIsLeftForALaterRunWhileTheFileIsStillBeingWritten() throws Exception {
        Instant now = Instant.parse("2026-01-10T09:00:00Z");
        etl = etl(db, 3, CsvSourceConfig.DEFAULT_BATCH_BYTES, Clock.fixed(now, ZoneOffset.UTC));
        // a writer part way through its last line: the price and time cut short
        Files.writeString(file, HEADER + "BTC,Bitcoin,96000,1,1,2025-01-15T12:00:00Z\nADA,Cardano,0.9");
        Files.setLastModifiedTime(file, FileTime.from(now.minusSeconds(2)));

        RunResult first = run();

        assertThat(first.processed()).isEqualTo(1);
        assertThat(db.count("etl_rejects")).isZero();
        assertThat(rawLines()).containsExactly(2L);

        Files.writeString(file, "5,1,1,2025-01-15T14:00:00Z\n", StandardOpenOption.APPEND);
        Files.setLastModifiedTime(file, FileTime.from(now.minusSeconds(1)));
        RunResult second = run();

        assertThat(second.processed()).isEqualTo(1);
        assertThat(price("ADA")).isEqualByComparingTo("0.95");
        assertThat(rawLines()).containsExactly(2L, 3L);
        List<String> quotes = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT a.canonical_symbol || ' ' || q.price_usd FROM asset_quotes q JOIN assets a ON a.id = q.asset_id"
                        + " ORDER BY 1").mapTo(String.class).list());
        assertThat(quotes).containsExactly("ADA 0.95", "BTC 96000");
    }

    @Test
    void aLastRowWhoseQuotedValueIsNotClosedYetIsLeftForALaterRunWhileTheFileIsStillBeingWritten() throws Exception {
        Instant now = Instant.parse("2026-01-10T09:00:00Z");
        etl = etl(db, 3, CsvSourceConfig.DEFAULT_BATCH_BYTES, Clock.fixed(now, ZoneOffset.UTC));
        // a writer part way through a name with a line break in it: its last line ends inside the quotes
        Files.writeString(file, HEADER + "BTC,Bitcoin,96000,1,1,2025-01-15T12:00:00Z\nDOGE,\"Doge\n");
        Files.setLastModifiedTime(file, FileTime.from(now.minusSeconds(2)));

        RunResult first = run();

        assertThat(first.processed()).isEqualTo(1);
        assertThat(db.count("etl_rejects")).isZero();
        assertThat(rawLines()).containsExactly(2L);

        Files.writeString(file, "coin\",0.3,1,1,2025-01-15T14:00:00Z\n", StandardOpenOption.APPEND);
        Files.setLastModifiedTime(file, FileTime.from(now.minusSeconds(1)));
        RunResult second = run();

        assertThat(second.processed()).isEqualTo(1);
        assertThat(second.rejected()).isZero();
        assertThat(price("DOGE")).isEqualByComparingTo("0.3");
        String name = db.jdbi().withHandle(h -> h.createQuery("SELECT name FROM assets WHERE canonical_symbol = 'DOGE'")
                .mapTo(String.class).one());
        assertThat(name).isEqualTo("Doge\ncoin");
        assertThat(rawLines()).containsExactly(2L, 3L);
    }

    @Test
    void aLastRowWhoseQuoteIsNeverClosedIsReadAsARejectOnceTheFileHasNotChangedForTheSettlingTime()
            throws Exception {
        Instant now = Instant.parse("2026-01-10T09:00:00Z");
        etl = etl(db, 3, CsvSourceConfig.DEFAULT_BATCH_BYTES, Clock.fixed(now, ZoneOffset.UTC));
        Files.writeString(file, HEADER + "BTC,Bitcoin,96000,1,1,2025-01-15T12:00:00Z\nDOGE,\"Doge\n");
        Files.setLastModifiedTime(file, FileTime.from(now.minus(CsvSource.SETTLE).plusMillis(1)));
        assertThat(run().processed()).isEqualTo(1);

        Files.setLastModifiedTime(file, FileTime.from(now.minus(CsvSource.SETTLE)));
        RunResult settled = run();

        assertThat(List.of(settled.processed(), settled.rejected())).containsExactly(1L, 1L);
        assertThat(rawLines()).containsExactly(2L, 3L);
        assertThat(run().processed()).isZero();
    }

    @Test
    void aQuoteLeftOpenThatTakesRowsInIsReadAsARejectAtOnceEvenWhileTheFileIsStillBeingWritten() throws Exception {
        Instant now = Instant.parse("2026-01-10T09:00:00Z");
        etl = etl(db, 3, CsvSourceConfig.DEFAULT_BATCH_BYTES, Clock.fixed(now, ZoneOffset.UTC));
        // a stray quote, not a value being written: waiting for the file to settle would hold the rows it took in
        // back for as long as a writer keeps appending
        Files.writeString(file, HEADER + "BTC,Bitcoin,96000,1,1,2025-01-15T12:00:00Z\nDOT,\"Polkadot,7.1,,,"
                + "2025-01-15T12:00:00Z\nETH,Ethereum,3300,,,2025-01-15T12:00:00Z\n");
        Files.setLastModifiedTime(file, FileTime.from(now.minusSeconds(1)));

        RunResult result = run();

        assertThat(List.of(result.processed(), result.rejected())).containsExactly(2L, 1L);
        Files.writeString(file, "SOL,Solana,190,,,2025-01-15T12:00:00Z\n", StandardOpenOption.APPEND);
        assertThat(run().loaded()).as("the rows appended after it").isEqualTo(1);
    }

    @Test
    void aStrayQuoteOnTheLastLineIsReadAsARejectAtOnceSoThatARowAppendedAfterItThatQuotesANameIsReadAsItIs()
            throws Exception {
        Instant now = Instant.parse("2026-01-10T09:00:00Z");
        etl = etl(db, 3, CsvSourceConfig.DEFAULT_BATCH_BYTES, Clock.fixed(now, ZoneOffset.UTC));
        // the open quote already holds the rest of its own row: not a name being written
        Files.writeString(file, HEADER + "BTC,Bitcoin,96000,1,1,2025-01-15T12:00:00Z\nDOT,\"Polkadot,7.1,,,"
                + "2025-01-15T12:00:00Z\n");
        Files.setLastModifiedTime(file, FileTime.from(now.minusSeconds(2)));

        RunResult first = run();

        assertThat(List.of(first.processed(), first.rejected())).containsExactly(2L, 1L);
        // held, the quote would be closed by the one before Ethereum, and DOT loaded at ETH's price, ETH not at all
        Files.writeString(file, "ETH,\"Ethereum\",3300,,,2025-01-15T12:00:00Z\n", StandardOpenOption.APPEND);
        Files.setLastModifiedTime(file, FileTime.from(now.minusSeconds(1)));
        RunResult second = run();

        assertThat(List.of(second.processed(), second.loaded())).containsExactly(1L, 1L);
        assertThat(price("ETH")).isEqualByComparingTo("3300");
        assertThat(db.count("asset_sources")).isEqualTo(2);
        assertThat(rawLines()).containsExactly(2L, 3L, 4L);
    }

    @Test
    void aFileWhoseHeaderLineIsStillBeingWrittenIsReadOnceItEnds() throws Exception {
        Instant now = Instant.parse("2026-01-10T09:00:00Z");
        etl = etl(db, 3, CsvSourceConfig.DEFAULT_BATCH_BYTES, Clock.fixed(now, ZoneOffset.UTC));
        Files.writeString(file, "symbol,name,pri");
        Files.setLastModifiedTime(file, FileTime.from(now.minusSeconds(1)));

        RunResult first = run();

        assertThat(first.status()).as(first.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(first.processed()).isZero();

        Files.writeString(file, "ce_usd,market_cap_usd,volume_24h_usd,timestamp\n"
                + "BTC,Bitcoin,1,,,2025-01-15T12:00:00Z\n", StandardOpenOption.APPEND);
        assertThat(run().loaded()).isEqualTo(1);
    }

    @Test
    void aLastLineWithoutLineBreakIsReadOnceTheFileHasNotChangedForTheSettlingTime() throws Exception {
        Instant now = Instant.parse("2026-01-10T09:00:00Z");
        etl = etl(db, 3, CsvSourceConfig.DEFAULT_BATCH_BYTES, Clock.fixed(now, ZoneOffset.UTC));
        Files.writeString(file, HEADER + "BTC,Bitcoin,96000,1,1,2025-01-15T12:00:00Z\nADA,Cardano,0.95,1,1,"
                + "2025-01-15T14:00:00Z");
        Files.setLastModifiedTime(file, FileTime.from(now.minus(CsvSource.SETTLE).plusMillis(1)));
        assertThat(run().processed()).isEqualTo(1);

        Files.setLastModifiedTime(file, FileTime.from(now.minus(CsvSource.SETTLE)));

        assertThat(run().processed()).isEqualTo(1);
        assertThat(price("ADA")).isEqualByComparingTo("0.95");
        assertThat(run().processed()).isZero();
    }

    @Test
    void readsARewrittenFileAfresh() throws Exception {
        Files.writeString(file, HEADER + "BTC,Bitcoin,1,,,2025-01-15T12:00:00Z\nETH,Ethereum,2,,,2025-01-15T12:00:00Z\n");
        run();

        Files.writeString(file, HEADER + "BTC,Bitcoin,1.5,,,2025-01-15T13:00:00Z\nETH,Ethereum,2,,,2025-01-15T12:00:00Z\n");
        RunResult rewritten = run();

        assertThat(rewritten.processed()).isEqualTo(2);
        assertThat(price("BTC")).isEqualByComparingTo("1.5");
        assertThat(db.count("raw_csv_assets")).isEqualTo(4);
    }

    @Test
    void aFileRewrittenBackToAnEarlierContentStoresNoLineTwice() throws Exception {
        String earlier = HEADER + "BTC,Bitcoin,1,,,2025-01-15T12:00:00Z\nETH,Ethereum,2,,,2025-01-15T12:00:00Z\n";
        Files.writeString(file, earlier);
        run();
        Files.writeString(file, HEADER + "BTC,Bitcoin,1.5,,,2025-01-15T13:00:00Z\n");
        run();

        // the earlier content's lines are stored already: they go through staging and ON CONFLICT DO NOTHING
        Files.writeString(file, earlier);
        RunResult again = run();

        assertThat(again.status()).as(again.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(again.processed()).isEqualTo(2);
        assertThat(db.count("raw_csv_assets")).isEqualTo(3);
        long files = db.jdbi().withHandle(h -> h.createQuery("SELECT count(DISTINCT file_sha256) FROM raw_csv_assets")
                .mapTo(Long.class).one());
        assertThat(files).isEqualTo(2);
        assertThat(price("BTC")).as("13:00 stays the latest").isEqualByComparingTo("1.5");
    }

    @Test
    void priceHistoryKeepsOneQuotePerAssetAndInstantWhoeverWritesItAgain() throws Exception {
        Files.writeString(file, HEADER + "BTC,Bitcoin,1,,,2025-01-15T12:00:00Z\nBTC,Bitcoin,2,,,2025-01-15T12:00:00Z\n"
                + "ETH,Ethereum,3,,,2025-01-15T12:00:00Z\n");
        RunResult first = run();

        // the chunk's last row of an asset and instant wins; the one it replaced counts as written, as it would
        // in a chunk of its own
        assertThat(first.loaded()).isEqualTo(3);
        assertThat(first.unchanged()).isZero();
        assertThat(quote("BTC")).isEqualByComparingTo("2");

        Files.writeString(file, HEADER + "BTC,Bitcoin,2,,,2025-01-15T12:00:00Z\nETH,Ethereum,4,,,2025-01-15T12:00:00Z\n"
                + "SOL,Solana,5,,,2025-01-15T12:00:00Z\n");
        RunResult rewritten = run();

        assertThat(rewritten.loaded()).as("ETH's quote updated, SOL's added").isEqualTo(2);
        assertThat(rewritten.unchanged()).as("BTC's quote is the same").isEqualTo(1);
        assertThat(quote("ETH")).isEqualByComparingTo("4");
        assertThat(db.count("asset_quotes")).isEqualTo(3);
    }

    @Test
    void aRewrittenFileWhoseHistoryOverlapsKeepsEveryQuoteOfItsRowsNotOnlyEachAssetsLatest() throws Exception {
        Files.writeString(file, HEADER + "BTC,Bitcoin,1,,,2025-01-15T12:00:00Z\n");
        run();

        // BTC at 12:00 is stored already, so the chunk's history is upserted from staging: 11:00 and 12:00 are not
        // BTC's latest row of the chunk, and must be staged too
        Files.writeString(file, HEADER + "BTC,Bitcoin,0.5,,,2025-01-15T11:00:00Z\nBTC,Bitcoin,1.5,,,2025-01-15T12:00:00Z\n"
                + "BTC,Bitcoin,2,,,2025-01-15T13:00:00Z\n");
        RunResult rewritten = run();

        assertThat(rewritten.loaded()).as("11:00 added, 12:00 updated, 13:00 added").isEqualTo(3);
        List<String> history = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT price_usd::text FROM asset_quotes WHERE source = 'csv' ORDER BY observed_at")
                .mapTo(String.class).list());
        assertThat(history).containsExactly("0.5", "1.5", "2");
        assertThat(price("BTC")).isEqualByComparingTo("2");
    }

    @Test
    void aFileGivesTheSameTablesWhateverItsChunkSize() throws Exception {
        // 11 assets an hour, each hour in its own order, then rows that give earlier hours new prices: chunk
        // boundaries fall part way through hours, and some chunks hold quotes an earlier chunk stored
        Random random = new Random(20261126);
        List<String> symbols = new ArrayList<>();
        for (int s = 0; s < 11; s++) {
            symbols.add("S" + (char) ('A' + s));
        }
        StringBuilder csv = new StringBuilder(HEADER);
        Instant start = Instant.parse("2025-01-01T00:00:00Z");
        for (int hour = 0; hour < 30; hour++) {
            Collections.shuffle(symbols, random);
            for (String symbol : symbols) {
                csv.append(row(symbol, random, start.plusSeconds(3600L * hour)));
            }
        }
        for (int i = 0; i < 15; i++) {
            csv.append(row(symbols.get(random.nextInt(symbols.size())), random,
                    start.plusSeconds(3600L * random.nextInt(30))));
        }
        Files.writeString(file, csv.toString());

        Map<String, String> expected = null;
        // {rows, bytes}: chunks cut by their number of rows, by their bytes of the file (rows of about 40 bytes),
        // or by whichever comes first
        int[][] chunkings = {{100_000, 1 << 30}, {1, 1 << 30}, {4, 1 << 30}, {7, 1 << 30}, {50, 1 << 30},
            {200, 1 << 30}, {100_000, 1}, {100_000, 130}, {100_000, 2000}, {7, 200}};
        for (int[] chunking : chunkings) {
            TestDatabase each = TestDatabase.create();
            RunResult result;
            try (AssetEtl chunked = etl(each, chunking[0], chunking[1])) {
                result = chunked.run(RunRequest.of("csv"));
            }
            assertThat(result.status()).as(result.error()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(result.processed()).isEqualTo(345);
            Map<String, String> tables = TableDigests.of(each);
            if (expected == null) {
                expected = tables; // the whole file in one chunk
                assertThat(tables).containsEntry("asset_quotes#rows", "330");
            } else {
                assertThat(tables).as("batch size %d, batch bytes %d", chunking[0], chunking[1])
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void aChunkEndsAtTheRowThatBringsItToBatchBytesOfTheFile() throws Exception {
        // 25 rows of exactly 100 bytes each, after the header
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 0; i < 25; i++) {
            String start = "W" + i + ",";
            String end = ",1.5,,,2025-01-01T00:00:00Z\n";
            csv.append(start).append("n".repeat(100 - start.length() - end.length())).append(end);
        }
        Files.writeString(file, csv.toString());
        RunResult result;
        try (AssetEtl wide = etl(db, 1000, 250)) {
            result = wide.run(RunRequest.of("csv"));
        }

        assertThat(result.status()).as(result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.loaded()).isEqualTo(25);
        int chunks = db.jdbi().withHandle(h -> h.createQuery("SELECT chunks FROM etl_runs").mapTo(Integer.class)
                .one());
        long offset = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT position ->> 'offset' FROM etl_checkpoints WHERE source = 'csv'").mapTo(Long.class).one());
        // 3 rows (300 bytes) reach 250 bytes: 8 chunks of 3 rows, then the last row
        assertThat(chunks).isEqualTo(9);
        assertThat(offset).isEqualTo(HEADER.length() + 2500L);
    }

    private static String row(String symbol, Random random, Instant at) {
        return symbol + "," + symbol + " coin," + (1 + random.nextInt(100_000)) / 100.0 + ",,," + at + "\n";
    }

    private BigDecimal quote(String symbol) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT q.price_usd FROM asset_quotes q JOIN assets a ON a.id = q.asset_id
                WHERE q.source = 'csv' AND a.canonical_symbol = :symbol""").bind("symbol", symbol)
                .mapTo(BigDecimal.class).one());
    }

    @Test
    void turnsBadRowsIntoRejectsWithReasonCodes() throws Exception {
        Files.writeString(file, "\uFEFF" + HEADER
                + "BTC,Bitcoin,96432.18,1910412000000,38512000000,2025-01-15T12:00:00Z\n"
                + ",No Symbol,1,,,2025-01-15T12:00:00Z\n"
                + "ETH,Ethereum,abc,,,2025-01-15T12:00:00Z\n"
                + "SOL,Solana,0,,,2025-01-15T12:00:00Z\n"
                + "ADA,Cardano,1,lots,,2025-01-15T12:00:00Z\n"
                + "XRP,XRP,1,,,last tuesday\n"
                + "DOGE,Dogecoin,1\n"
                + "BTC ETH,Two,1,,,2025-01-15T12:00:00Z\n");

        RunResult result = run();

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.loaded()).isEqualTo(1);
        assertThat(result.rejected()).isEqualTo(7);
        List<String> rejects = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT position || ' ' || reason FROM etl_rejects ORDER BY id").mapTo(String.class).list());
        assertThat(rejects).containsExactly("line 3 missing_symbol", "line 4 invalid_price", "line 5 invalid_price",
                "line 6 invalid_number", "line 7 invalid_timestamp", "line 8 unparseable_row",
                "line 9 invalid_symbol");
        String detail = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT detail FROM etl_rejects WHERE reason = 'unparseable_row'").mapTo(String.class).one());
        assertThat(detail).isEqualTo("expected 6 fields, found 3");
    }

    @Test
    void aQuoteLeftOpenThatTakesRowsInIsARejectNamingTheLinesNotAnAssetWithTheLastRowsPrice() throws Exception {
        Files.writeString(file, HEADER
                + "BTC,Bitcoin,96432.18,,,2025-01-15T12:00:00Z\n"
                + "DOT,\"Polkadot,7.1,,,2025-01-15T12:00:00Z\n"
                + "ETH,Ethereum,3300,,,2025-01-15T12:00:00Z\n"
                + "SOL,\"Solana\",190,,,2025-01-15T12:00:00Z\n"
                + "ADA,Cardano,1.1,,,2025-01-15T12:00:00Z\n"
                + "XRP,XRP,2.5,,,2025-01-15T12:00:00Z\n"
                + "LTC,\"Lite,coin,9,,,2025-01-15T12:00:00Z\n"
                + "DOGE,Dogecoin,0.3,,,2025-01-15T12:00:00Z\n"
                + "BCH\",Bitcoin Cash,450,,,2025-01-15T12:00:00Z\n");

        RunResult result = run();

        assertThat(result.loaded()).isEqualTo(3);
        List<String> assets = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT canonical_symbol FROM assets ORDER BY 1").mapTo(String.class).list());
        assertThat(assets).containsExactly("ADA", "BTC", "XRP");
        List<String> rejects = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT position || ' ' || reason || ': ' || detail FROM etl_rejects ORDER BY id")
                .mapTo(String.class).list());
        // the row's fields after the open quote came from SOL's line: DOT was loaded at SOL's price
        assertThat(rejects).containsExactly(
                "line 3 unparseable_row: a quoted value runs over lines 3-5 and holds rows of its own"
                        + " (a quote left open takes the lines after it in until one closes it)",
                "line 8 unparseable_row: expected 6 fields, found 7; the row runs over lines 8-10"
                        + " (a quote left open takes the lines after it in until one closes it)");
    }

    @Test
    void reprocessReplaysAFileReadAgainAfterAnotherAfterItAsIngestWroteItsValuesLast() throws Exception {
        String first = HEADER + "BTC,Bitcoin,100,,,2025-01-15T12:00:00Z\nETH,Ethereum,100.5,,,2025-01-15T12:00:00Z\n";
        Files.writeString(file, first);
        run();
        Files.writeString(file, HEADER + "BTC,Bitcoin,200,,,2025-01-15T12:00:00Z\nETH,Ethereum,200.5,,,"
                + "2025-01-15T12:00:00Z\n");
        run();
        // the feed sends the first version again: its lines are stored already, its values are written again
        Files.writeString(file, first);
        run();
        assertThat(quote("BTC")).isEqualByComparingTo("100");
        Map<String, String> before = TableDigests.canonical(db);

        RunResult reprocessed = etl.reprocess("csv");

        assertThat(reprocessed.status()).as(reprocessed.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(quote("BTC")).isEqualByComparingTo("100");
        assertThat(price("ETH")).isEqualByComparingTo("100.5");
        assertThat(TableDigests.canonical(db)).isEqualTo(before);
    }

    @Test
    void reprocessReplaysTheFilesInTheOrderTheSourceReadThem() throws Exception {
        // four versions of the file give BTC four prices at the same instant; the last version read wins
        for (int version = 1; version <= 4; version++) {
            Files.writeString(file, HEADER + "ETH,Ethereum,2,,,2025-01-15T12:00:00Z\nBTC,Bitcoin," + version
                    + ",,,2025-01-15T12:00:00Z\n");
            run();
        }
        assertThat(quote("BTC")).isEqualByComparingTo("4");
        Map<String, String> before = TableDigests.canonical(db);

        RunResult reprocessed = etl.reprocess("csv");

        assertThat(reprocessed.status()).as(reprocessed.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(reprocessed.processed()).isEqualTo(8);
        assertThat(quote("BTC")).isEqualByComparingTo("4");
        assertThat(price("BTC")).isEqualByComparingTo("4");
        assertThat(TableDigests.canonical(db)).isEqualTo(before);
    }

    @Test
    void aRowWithoutTimestampKeepsTheFileTimeItWasReadWithThroughReprocess() throws Exception {
        Files.writeString(file, "symbol,price\nBTC,42000\n");
        Instant fileTime = Instant.parse("2025-01-15T08:30:00Z");
        Files.setLastModifiedTime(file, FileTime.from(fileTime));
        run();
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2031-01-01T00:00:00Z")));

        RunResult reprocessed = etl.reprocess("csv");

        assertThat(reprocessed.status()).as(reprocessed.error()).isEqualTo(RunStatus.SUCCEEDED);
        Instant observed = db.jdbi().withHandle(h -> h.createQuery("SELECT observed_at FROM asset_sources")
                .mapTo(Instant.class).one());
        assertThat(observed).isEqualTo(fileTime);
    }

    @Test
    void reprocessRebuildsWhatIngestLoadedFromAFileWithoutTimestampsSentAgainWithAnEarlierContentAtALaterTime()
            throws Exception {
        sendV1V2AndV1Again(T3);
        assertThat(price("BTC")).as("the earlier content, at its new time, is the latest").isEqualByComparingTo("100");
        assertThat(observedAt("BTC")).isEqualTo(T3);
        Map<String, String> ingested = TableDigests.canonical(db);

        RunResult reprocessed = etl.reprocess("csv");

        assertThat(reprocessed.status()).as(reprocessed.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(TableDigests.canonical(db)).isEqualTo(ingested);
        assertThat(reprocessed.processed()).as("each version's lines, v1's twice").isEqualTo(6);
    }

    @Test
    void reprocessOfAFileRewrittenWithAnotherPriceAtTheSameTimeKeepsTheRewrittenOneLoadingNothing() throws Exception {
        Files.writeString(file, HEADER + "BTC,Bitcoin,100,,,2025-01-15T12:00:00Z\n"
                + "ETH,Ethereum,10,,,2025-01-15T12:00:00Z\n");
        assertThat(run().loaded()).isEqualTo(2);
        Files.writeString(file, HEADER + "BTC,Bitcoin,101,,,2025-01-15T12:00:00Z\n"
                + "ETH,Ethereum,10,,,2025-01-15T12:00:00Z\n");
        assertThat(run().loaded()).as("BTC's price at that time").isEqualTo(1);
        String ingested = TableDigests.canonicalRowsWhole(db);

        RunResult reprocessed = etl.reprocess("csv");

        assertThat(reprocessed.status()).as(reprocessed.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(List.of(reprocessed.processed(), reprocessed.loaded(), reprocessed.unchanged()))
                .as("the second file's lines replace the first's, as when they were read").containsExactly(4L, 0L, 4L);
        assertThat(TableDigests.canonicalRowsWhole(db)).isEqualTo(ingested);
        assertThat(price("BTC")).isEqualByComparingTo("101");
    }

    @Test
    void aFileWithoutTimestampsSentAgainAtALaterTimeIsStoredAgainAsANewFileReadAfterTheOthers() throws Exception {
        RunResult again = sendV1V2AndV1Again(T3);

        assertThat(again.processed()).isEqualTo(2);
        assertThat(again.loaded()).as("a new quote of each at the new time").isEqualTo(2);
        assertThat(storedLinesInReadOrder()).containsExactly(
                "BTC 2025-01-15T08:00:00Z", "ETH 2025-01-15T08:00:00Z",
                "BTC 2025-01-15T09:00:00Z", "ETH 2025-01-15T09:00:00Z",
                "BTC 2025-01-15T10:00:00Z", "ETH 2025-01-15T10:00:00Z");
        List<String> files = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT CASE WHEN file_sha256 = first_value(file_sha256) OVER (ORDER BY file_no) THEN 'v1' ELSE 'v2' END
                FROM raw_csv_files ORDER BY file_no""").mapTo(String.class).list());
        assertThat(files).as("the files in the order first read, the third of v1's content").containsExactly(
                "v1", "v2", "v1");
    }

    @Test
    void aFileWithoutTimestampsSentAgainWithTheModificationTimeItWasReadWithStoresAndLoadsNothingNew()
            throws Exception {
        // copied back with its time kept (cp -p): the same content observed at the same time
        RunResult again = sendV1V2AndV1Again(T1);

        assertThat(again.status()).as(again.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(again.processed()).isEqualTo(2);
        assertThat(again.loaded()).isZero();
        assertThat(db.count("raw_csv_assets")).isEqualTo(4);
        assertThat(db.count("raw_csv_files")).isEqualTo(2);
        assertThat(price("BTC")).as("the second version stays the latest").isEqualByComparingTo("200");
        Map<String, String> ingested = TableDigests.canonical(db);

        RunResult reprocessed = etl.reprocess("csv");

        assertThat(reprocessed.status()).as(reprocessed.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(TableDigests.canonical(db)).isEqualTo(ingested);
    }

    @Test
    void linesAppendedToAFileWithoutTimestampsAreReadFromTheCheckpointAtTheTimeOfTheirRead() throws Exception {
        writeAt("symbol,price\nBTC,100\nETH,10\n", T1);
        run();
        Files.writeString(file, "SOL,1\n", StandardOpenOption.APPEND);
        Files.setLastModifiedTime(file, FileTime.from(T2));

        RunResult appended = run();

        assertThat(appended.processed()).isEqualTo(1);
        assertThat(storedLinesInReadOrder()).containsExactly(
                "BTC 2025-01-15T08:00:00Z", "ETH 2025-01-15T08:00:00Z", "SOL 2025-01-15T09:00:00Z");
        assertThat(run().processed()).as("read to its end").isZero();
        Map<String, String> ingested = TableDigests.canonical(db);
        RunResult reprocessed = etl.reprocess("csv");
        assertThat(reprocessed.status()).as(reprocessed.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(TableDigests.canonical(db)).isEqualTo(ingested);
    }

    /**
     * A file without a timestamp column read at {@link #T1} (v1), rewritten and read at {@link #T2} (v2), then
     * rewritten back to v1's content with modification time {@code v1Again} and read: that last run's result.
     */
    private RunResult sendV1V2AndV1Again(Instant v1Again) throws IOException {
        String v1 = "symbol,price\nBTC,100\nETH,10\n";
        writeAt(v1, T1);
        assertThat(run().loaded()).isEqualTo(2);
        writeAt("symbol,price\nBTC,200\nETH,20\n", T2);
        assertThat(run().loaded()).isEqualTo(2);
        writeAt(v1, v1Again);
        RunResult again = run();
        assertThat(again.status()).as(again.error()).isEqualTo(RunStatus.SUCCEEDED);
        return again;
    }

    private void writeAt(String content, Instant modified) throws IOException {
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.from(modified));
    }

    private Instant observedAt(String symbol) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT s.observed_at FROM asset_sources s JOIN assets a ON a.id = s.asset_id
                WHERE s.source = 'csv' AND a.canonical_symbol = :symbol""").bind("symbol", symbol)
                .mapTo(Instant.class).one());
    }

    /** Each stored line's symbol and stored time, file by file in the order reprocess replays them. */
    private List<String> storedLinesInReadOrder() {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT (r.payload ->> 'symbol') || ' ' || (r.payload ->> '_etl_observed_at')
                FROM raw_csv_assets r JOIN raw_csv_files f USING (file_no) ORDER BY f.last_read, r.line_no""")
                .mapTo(String.class).list());
    }

    @Test
    void aBlankTimestampInAFileWithATimestampColumnIsRejectedNotDatedWithTheFileTime() throws Exception {
        Files.writeString(file, HEADER + "BTC,Bitcoin,200,,,2025-06-01T00:00:00Z\nBTC,Bitcoin,1,,,\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2025-07-01T00:00:00Z")));

        RunResult result = run();

        assertThat(result.loaded()).isEqualTo(1);
        assertThat(result.rejected()).isEqualTo(1);
        assertThat(price("BTC")).isEqualByComparingTo("200");
        List<String> rejects = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT position || ' ' || reason || ': ' || detail FROM etl_rejects").mapTo(String.class).list());
        assertThat(rejects).containsExactly("line 3 invalid_timestamp: timestamp is missing");
        RunResult reprocessed = etl.reprocess("csv");
        assertThat(reprocessed.loaded()).as("its row is as the ingest loaded it").isZero();
        assertThat(reprocessed.unchanged()).isEqualTo(1);
        assertThat(reprocessed.rejected()).isEqualTo(1);
    }

    @Test
    void aFileWithoutTheRequiredColumnsFailsTheRunNamingItsHeaders() throws Exception {
        Files.writeString(file, "ticker,usd_price\nBTC,1\n", StandardCharsets.UTF_8);

        RunResult result = run();

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).contains("no 'symbol' column").contains("[ticker, usd_price]");
        assertThat(db.count("raw_csv_assets")).isZero();
    }

    @Test
    void aUtf16FileFailsTheRunSayingSoRatherThanNamingGarbledHeaders() throws Exception {
        Files.write(file, (HEADER + "BTC,Bitcoin,1,,,2025-01-15T12:00:00Z\n").getBytes(StandardCharsets.UTF_16LE));
        byte[] text = Files.readAllBytes(file);
        byte[] withMark = new byte[text.length + 2];
        withMark[0] = (byte) 0xFF;
        withMark[1] = (byte) 0xFE;
        System.arraycopy(text, 0, withMark, 2, text.length);
        Files.write(file, withMark);

        RunResult result = run();

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).isEqualTo("assets.csv is UTF-16LE text (its byte-order mark says so), which this"
                + " source does not read; save it as UTF-8");
        assertThat(db.count("raw_csv_assets")).isZero();

        Files.write(file, text);
        RunResult withoutMark = run();

        assertThat(withoutMark.error()).isEqualTo("assets.csv is UTF-16LE text without a byte-order mark (every"
                + " second byte is zero), which this source does not read; save it as UTF-8");
    }

    @Test
    void aFileWithCarriageReturnsAloneAsLineBreaksFailsTheRunSayingSoRatherThanLoadingNothing() throws Exception {
        Files.writeString(file, (HEADER + "BTC,Bitcoin,100,1000,10,2025-01-01T00:00:00Z\n").replace('\n', '\r'));

        RunResult result = run();

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).isEqualTo("assets.csv ends its lines with a carriage return alone (classic Mac OS"
                + " line breaks), which this source does not read; save it with LF or CRLF line breaks");
        assertThat(db.count("raw_csv_assets")).isZero();

        Files.writeString(file, (HEADER + "BTC,Bitcoin,100,1000,10,2025-01-01T00:00:00Z\n").replace("\n", "\r\n"));
        assertThat(run().loaded()).isEqualTo(1);
    }

    @Test
    void aMissingFileFailsTheRun() {
        RunResult result = run();

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).isEqualTo("file not found: " + file);
    }

    @Test
    void aMissingFileGivenByARelativePathIsNamedAlsoAsTheWorkingDirectoryResolvesIt() {
        Path relative = Path.of("no-such-folder", "assets.csv");
        AssetEtl elsewhere = AssetEtl.builder().dataSource(db.dataSource()).discoverFactories(true)
                .source(SourceDefinition.of("csv", "csv", SourceConfig.of(Map.of("path", relative.toString()))))
                .build();

        RunResult result = elsewhere.run(RunRequest.of("csv"));

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).isEqualTo("file not found: " + relative + " (" + relative.toAbsolutePath()
                + ": a relative path is read from the working directory)");
    }

    @Test
    void aDirectoryFailsTheRunAsNotARegularFile() throws Exception {
        Files.createDirectory(file);

        RunResult result = run();

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).isEqualTo("not a regular file: " + file);
    }

    @Test
    void aFifoFailsTheRunAsNotARegularFileWithoutWaitingForAWriter() throws Exception {
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", file.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("mkfifo is not available: " + e.getMessage());
            return;
        }
        Assumptions.assumeTrue(mkfifo.waitFor() == 0 && Files.exists(file), "mkfifo could not make a FIFO");

        // opening a FIFO for reading blocks until a writer opens it: the run must not get that far
        RunResult result = assertTimeoutPreemptively(Duration.ofSeconds(30), this::run);

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).isEqualTo("not a regular file: " + file);
    }

    @Test
    void aRepeatedHeaderIsReadFromItsFirstColumnAndTheOthersAreRecordedAsDriftWithAWarning() throws Exception {
        Files.writeString(file, "symbol,name,price_usd,price_usd,price,timestamp\n"
                + "BTC,Bitcoin,1,2,3,2025-01-15T12:00:00Z\n");
        Warnings<RunResult> logged = Warnings.of(CsvSource.class, this::run);
        RunResult result = logged.result();

        assertThat(result.status()).as(result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(price("BTC")).isEqualByComparingTo("1");
        List<String> drift = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT kind || ':' || expected || '<-' || actual || ':' || confidence || ':' || action
                FROM schema_drift_events WHERE kind = 'header_duplicate' ORDER BY actual""")
                .mapTo(String.class).list());
        assertThat(drift).containsExactly(
                "header_duplicate:price_usd<-price:1.000:ignored",
                "header_duplicate:price_usd<-price_usd_2:1.000:ignored");
        assertThat(logged.messages()).containsExactlyInAnyOrder(
                        "source csv: assets.csv has another price_usd column, 'price_usd_2', besides 'price_usd',"
                                + " which is read; it is kept in the raw payload and otherwise ignored"
                                + " (header_duplicate)",
                        "source csv: assets.csv has another price_usd column, 'price', besides 'price_usd',"
                                + " which is read; it is kept in the raw payload and otherwise ignored"
                                + " (header_duplicate)");
        String payload = db.jdbi().withHandle(h -> h.createQuery("SELECT payload::text FROM raw_csv_assets")
                .mapTo(String.class).one());
        assertThat(payload).contains("\"price_usd_2\": \"2\"");
    }

    @Test
    void aFileWithAllTheFormatsColumnsAndNoOthersRecordsNoDrift() throws Exception {
        Files.writeString(file, HEADER + "BTC,Bitcoin,1,2,3,2025-01-15T12:00:00Z\n");

        RunResult result = run();

        assertThat(result.status()).as(result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(db.count("schema_drift_events")).isZero();
    }

    @Test
    void columnsOutsideTheFormatAndFieldsWithoutAColumnAreRecordedAsDriftNotADuplicate() throws Exception {
        Files.writeString(file, "symbol,name,price_usd,price_usd_2,source_updated_at\n"
                + "BTC,Bitcoin,1,2,2025-01-15T12:00:00Z\n");

        RunResult result = run();

        assertThat(result.status()).as(result.error()).isEqualTo(RunStatus.SUCCEEDED);
        List<String> drift = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT kind || ':' || coalesce(expected, '') || '<-' || coalesce(actual, '') || ':' || action
                FROM schema_drift_events ORDER BY id""").mapTo(String.class).list());
        assertThat(drift).containsExactly("header_unmapped:<-price_usd_2:ignored",
                "header_unmapped:<-source_updated_at:ignored", "field_missing:market_cap_usd<-:ignored",
                "field_missing:volume_24h_usd<-:ignored", "field_missing:timestamp<-:file_time_used");
    }
    @Test
    void aHeaderRepeatedInAnotherCaseIsReadFromItsFirstColumnByIngestAndByReprocessAlike() throws Exception {
        // "SYMBOL" sorts before "Symbol", "Price" before "price", and PostgreSQL returns the keys of a jsonb
        // payload in its own order: neither may decide which column is read
        Files.writeString(file, "Symbol,SYMBOL,name,price,Price,timestamp\n"
                + "ETH,BTC,Ethereum,1,2,2025-01-15T12:00:00Z\n");

        RunResult result = run();

        assertThat(result.status()).as(result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(symbols()).containsExactly("ETH");
        assertThat(price("ETH")).isEqualByComparingTo("1");
        List<String> drift = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT kind || ':' || expected || '<-' || actual FROM schema_drift_events
                WHERE kind = 'header_duplicate'""").mapTo(String.class).list());
        assertThat(drift).containsExactlyInAnyOrder("header_duplicate:price_usd<-Price",
                "header_duplicate:symbol<-SYMBOL");
        String payload = db.jdbi().withHandle(h -> h.createQuery("SELECT payload::text FROM raw_csv_assets")
                .mapTo(String.class).one());
        assertThat(payload).contains("\"Symbol\": \"ETH\"", "\"SYMBOL\": \"BTC\"", "\"price\": \"1\"",
                "\"Price\": \"2\"", "\"_etl_columns\": [\"Symbol\", \"SYMBOL\", \"name\", \"price\", \"Price\","
                + " \"timestamp\"]");
        Map<String, String> ingested = TableDigests.canonical(db);

        RunResult reprocessed = etl.reprocess("csv");

        assertThat(reprocessed.status()).as(reprocessed.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(reprocessed.loaded() + reprocessed.unchanged()).isEqualTo(1);
        assertThat(symbols()).containsExactly("ETH");
        assertThat(price("ETH")).isEqualByComparingTo("1");
        assertThat(TableDigests.canonical(db)).isEqualTo(ingested);
    }

    @Test
    void aFileWhoseColumnsMapAlikeInAnyOrderStoresItsRowsWithoutTheirColumnOrder() throws Exception {
        Files.writeString(file, "symbol,name,price_usd,price_usd,notes\nBTC,Bitcoin,1,2,x\n");

        RunResult result = run();

        assertThat(result.status()).as(result.error()).isEqualTo(RunStatus.SUCCEEDED);
        String payload = db.jdbi().withHandle(h -> h.createQuery("SELECT payload::text FROM raw_csv_assets")
                .mapTo(String.class).one());
        assertThat(payload).doesNotContain(Payload.COLUMNS);
    }

    private List<String> symbols() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT canonical_symbol FROM assets ORDER BY 1")
                .mapTo(String.class).list());
    }
}
