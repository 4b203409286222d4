package io.assetetl.sources.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assetetl.AssetEtl;
import io.assetetl.run.RunRequest;
import io.assetetl.run.RunResult;
import io.assetetl.run.RunStatus;
import io.assetetl.run.SourceDefinition;
import io.assetetl.sources.testing.Warnings;
import io.assetetl.spi.InvalidSourceConfigException;
import io.assetetl.spi.SourceConfig;
import io.assetetl.testing.TableDigests;
import io.assetetl.testing.TestDatabase;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code csv_weird} source run by the engine on a real PostgreSQL. */
class WeirdCsvSourceIT {

    private static final String SAMPLE = "../examples/data/assets_weird.csv";

    @TempDir
    Path dir;

    private TestDatabase db;
    private AssetEtl etl;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create();
        etl = AssetEtl.builder().dataSource(db.dataSource())
                .source(SourceDefinition.of("csv_weird", "csv_weird", SourceConfig.of(Map.of("path", SAMPLE))))
                .build();
    }

    private record Quote(String symbol, String sourceSymbol, BigDecimal price, BigDecimal marketCap,
            BigDecimal volume, Instant observedAt) {
    }

    private Quote quote(String symbol) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT a.canonical_symbol, s.source_symbol, s.price_usd, s.market_cap_usd, s.volume_24h_usd,
                       s.observed_at
                FROM asset_sources s JOIN assets a ON a.id = s.asset_id WHERE a.canonical_symbol = :symbol""")
                .bind("symbol", symbol)
                .map((rs, ctx) -> new Quote(rs.getString(1), rs.getString(2), rs.getBigDecimal(3),
                        rs.getBigDecimal(4), rs.getBigDecimal(5), rs.getTimestamp(6).toInstant()))
                .one());
    }

    @Test
    void ingestsTheShippedMessySampleFile() {
        RunResult result = etl.run(RunRequest.of("csv_weird"));

        assertThat(result.status()).as(result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.loaded()).isEqualTo(16);
        assertThat(result.rejected()).isEqualTo(3);
        Instant snapshot = Instant.parse("2025-01-15T12:05:00Z");
        assertThat(quote("BTC")).isEqualTo(new Quote("BTC", "btc", new BigDecimal("96512.40"),
                new BigDecimal("1910000000000"), new BigDecimal("38700000000"), snapshot));
        assertThat(quote("ETH")).isEqualTo(new Quote("ETH", "ETH", new BigDecimal("3321.09"),
                new BigDecimal("399900000000"), new BigDecimal("21400000000"), snapshot));
        assertThat(quote("SOL").sourceSymbol()).isEqualTo("SOL");
        assertThat(quote("TON").price()).isEqualByComparingTo("5.33");
        assertThat(quote("TON").sourceSymbol()).as("the ticker of its cell 'Toncoin (TON)'").isEqualTo("TON");
        assertThat(quote("SHIB").sourceSymbol()).as("as the file wrote it").isEqualTo("$SHIB");
        assertThat(quote("USDT").observedAt()).isEqualTo(snapshot);
        assertThat(quote("XRP").observedAt()).isEqualTo(snapshot);
        assertThat(quote("XRP").volume()).isNull();
        assertThat(quote("DOGE").observedAt()).isEqualTo(snapshot);
        assertThat(quote("ADA").observedAt()).isEqualTo(snapshot);
        assertThat(quote("LINK").price()).isEqualByComparingTo("20.91");
        assertThat(quote("XLM").price()).isEqualByComparingTo("0.4481");
        List<String> rejects = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT position || ' ' || reason FROM etl_rejects ORDER BY id").mapTo(String.class).list());
        assertThat(rejects).containsExactly("line 14 ambiguous_value", "line 15 invalid_price",
                "line 16 invalid_price");
    }

    @Test
    void storesEachSymbolAsTheFileWroteItUnderTheAssetOfTheCleanedOneAndReprocessStoresTheSame() throws Exception {
        Path file = dir.resolve("desk.csv");
        Files.writeString(file, "Ticker;Coin Name;Price (USD);Date\n"
                + "$SHIB;Shiba Inu;0.00002141;2025-01-15T12:05:00Z\n"
                + " btc ;Bitcoin;96512.40;2025-01-15T12:05:00Z\n"
                + "Toncoin (TON);Toncoin;5.33;2025-01-15T12:05:00Z\n"
                + ";Solana (SOL);187.90;2025-01-15T12:05:00Z\n"
                + "xdg;Dogecoin;0.35;2025-01-15T12:05:00Z\n");
        RunRequest request = RunRequest.of("csv_weird").withSetting("path", file.toString());

        RunResult result = etl.run(request);
        List<String> ingested = sourceSymbols();
        Map<String, String> tables = TableDigests.canonical(db);
        RunResult reprocessed = etl.reprocess("csv_weird");
        RunResult again = etl.run(request);
        db.jdbi().useHandle(h -> h.execute("DELETE FROM etl_checkpoints"));
        RunResult reread = etl.run(request);

        assertThat(result.status()).as(result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.loaded()).isEqualTo(5);
        assertThat(ingested).containsExactly("BTC BTC btc", "DOGE DOGE xdg", "SHIB SHIB $SHIB", "SOL SOL SOL",
                "TON TON TON");
        assertThat(reprocessed.status()).as(reprocessed.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(sourceSymbols()).isEqualTo(ingested);
        assertThat(TableDigests.canonical(db)).isEqualTo(tables);
        assertThat(again.processed()).isZero();
        assertThat(reread.status()).as(reread.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(reread.processed()).isEqualTo(5);
        assertThat(reread.loaded()).as("the same file read again changes nothing").isZero();
        assertThat(TableDigests.canonical(db)).isEqualTo(tables);
    }

    /** Each source row as its asset's canonical symbol, its key and its symbol as written. */
    private List<String> sourceSymbols() {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT a.canonical_symbol || ' ' || s.source_key || ' ' || s.source_symbol
                FROM asset_sources s JOIN assets a ON a.id = s.asset_id ORDER BY 1""").mapTo(String.class).list());
    }

    @Test
    void recordsEveryNonExactHeaderMappingAsADriftEvent() {
        etl.run(RunRequest.of("csv_weird"));

        List<String> drift = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT kind || ':' || expected || '<-' || actual || ':' || confidence || ':' || action
                FROM schema_drift_events ORDER BY expected""").mapTo(String.class).list());
        assertThat(drift).containsExactly(
                "header_alias:market_cap_usd<-Mkt Cap:0.950:mapped",
                "header_alias:name<-Coin Name:0.950:mapped",
                "header_alias:price_usd<-Price (USD):0.950:mapped",
                "header_alias:symbol<-Ticker:0.950:mapped",
                "header_alias:timestamp<-Last Updated:0.950:mapped",
                "header_alias:volume_24h_usd<-24h Volume:0.950:mapped");
    }

    @Test
    void readsAWindows1252FileKeepingItsAccentsAndThenOnlyTheLinesAppendedToIt() throws Exception {
        Path file = dir.resolve("desk.csv");
        Charset cp1252 = Charset.forName("windows-1252");
        Files.writeString(file, "Symbole\tNom\tPrix (USD)\tDate\r\nXMR\tMonéro\t201,10 $\t15/01/2025\r\n", cp1252);
        RunResult first = etl.run(RunRequest.of("csv_weird").withSetting("path", file.toString()));
        Files.writeString(file, "ADA\tCardanö\t0,99 $\t15/01/2025\r\n", cp1252, StandardOpenOption.APPEND);

        RunResult appended = etl.run(RunRequest.of("csv_weird").withSetting("path", file.toString()));

        assertThat(first.status()).as(first.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(first.loaded()).isEqualTo(1);
        assertThat(appended.processed()).isEqualTo(1);
        List<String> names = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT name || ' ' || price_usd FROM asset_sources ORDER BY name").mapTo(String.class).list());
        assertThat(names).containsExactly("Cardanö 0.99", "Monéro 201.10");
        List<Long> lines = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT line_no FROM raw_csv_assets ORDER BY line_no").mapTo(Long.class).list());
        assertThat(lines).containsExactly(2L, 3L);
    }

    @Test
    void keepsItsUtf8LinesAsWrittenWhenALineInWindows1252IsAppendedAndReadsOnlyThatLine() throws Exception {
        Path file = dir.resolve("desk.csv");
        Files.writeString(file, "Symbole;Nom;Prix (USD)\nXMR;Monéro;201,10\n", StandardCharsets.UTF_8);
        RunResult first = etl.run(RunRequest.of("csv_weird").withSetting("path", file.toString()));
        Files.write(file, "ADA;Cardanö;0,99\n".getBytes(Charset.forName("windows-1252")), StandardOpenOption.APPEND);

        RunResult appended = etl.run(RunRequest.of("csv_weird").withSetting("path", file.toString()));

        assertThat(first.status()).as(first.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(appended.status()).as(appended.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(appended.processed()).as("only the appended line").isEqualTo(1);
        List<String> names = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT name || ' ' || price_usd FROM asset_sources ORDER BY name").mapTo(String.class).list());
        assertThat(names).containsExactly("Cardanö 0.99", "Monéro 201.10");
        List<String> payloads = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT payload ->> 'Nom' FROM raw_csv_assets ORDER BY file_no, line_no").mapTo(String.class).list());
        assertThat(payloads).containsExactly("Monéro", "Cardanö");
    }

    @Test
    void readsNumbersWithTheConfiguredDecimalMarkAndRefusesAnyOtherMark() throws Exception {
        Path file = dir.resolve("kurse.csv");
        Files.writeString(file, "Symbol;Name;Preis (USD);Marktkapitalisierung\n"
                + "BTC;Bitcoin;87.000,50;1.700.000.000.000\nETH;Ethereum;2.310;278.000.000.000\nADA;Cardano;0,45;\n");

        RunResult result = etl.run(RunRequest.of("csv_weird").withSetting("path", file.toString())
                .withSetting("decimal_mark", ","));

        assertThat(result.status()).as(result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.loaded()).isEqualTo(3);
        assertThat(quote("BTC").price()).isEqualByComparingTo("87000.50");
        assertThat(quote("ETH").price()).as("a point groups thousands").isEqualByComparingTo("2310");
        assertThat(quote("ETH").marketCap()).isEqualByComparingTo("278000000000");
        assertThat(quote("ADA").price()).isEqualByComparingTo("0.45");
        assertThatThrownBy(() -> etl.run(RunRequest.of("csv_weird").withSetting("path", file.toString())
                .withSetting("decimal_mark", "'"))).as("refused before any run is recorded")
                .isInstanceOf(InvalidSourceConfigException.class).hasMessageContaining("decimal_mark");
    }

    @Test
    void readsAmbiguousDatesInTheConfiguredOrder() {
        RunResult result = etl.run(RunRequest.of("csv_weird").withSetting("date_order", "DMY"));

        assertThat(result.rejected()).isEqualTo(2);
        assertThat(quote("AVAX").observedAt()).isEqualTo(Instant.parse("2025-02-01T00:00:00Z"));
    }

    @Test
    void readsTimesWithoutAnOffsetInTheConfiguredTimeZoneAndRejectsOnesItsClocksShowedTwice() throws Exception {
        Path file = dir.resolve("desk.csv");
        Files.writeString(file, "ticker;price;time\nBTC;96000;15.01.2025 10:30\nETH;3400;2025-10-26 02:30\n"
                + "SOL;200;2025-07-15T10:30:00Z\n");

        RunResult result = etl.run(RunRequest.of("csv_weird").withSetting("path", file.toString())
                .withSetting("time_zone", "Europe/Berlin"));

        assertThat(result.status()).as(result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.loaded()).isEqualTo(2);
        assertThat(quote("BTC").observedAt()).isEqualTo(Instant.parse("2025-01-15T09:30:00Z"));
        assertThat(quote("SOL").observedAt()).isEqualTo(Instant.parse("2025-07-15T10:30:00Z"));
        String reject = db.jdbi().withHandle(h -> h.createQuery("SELECT position || ' ' || reason FROM etl_rejects")
                .mapTo(String.class).one());
        assertThat(reject).isEqualTo("line 3 ambiguous_value");
    }

    @Test
    void aFileWhoseRequiredFieldsCannotBeMappedFailsTheRunWithTheHeadersAndBestGuesses() throws Exception {
        Path file = dir.resolve("products.csv");
        Files.writeString(file, "record_id;full_name;score;created_at\n1;Bitcoin;5;2024-12-10\n");

        RunResult result = etl.run(RunRequest.of("csv_weird").withSetting("path", file.toString()));

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).contains("cannot map required field(s) price")
                .contains("[record_id, full_name, score, created_at]").contains("best guesses");
        assertThat(db.count("raw_csv_assets")).isZero();
    }

    @Test
    void aRepeatedHeaderIsReadFromItsFirstColumnAndRecordedAsAnIgnoredDuplicateWithAWarning() throws Exception {
        Path file = dir.resolve("repeated.csv");
        Files.writeString(file, "symbol,name,price,price\nBTC,Bitcoin,96512.40,96000\nETH,Ethereum,3321.09,3300\n");
        Warnings<RunResult> logged = Warnings.of(CsvSource.class,
                () -> etl.run(RunRequest.of("csv_weird").withSetting("path", file.toString())));
        RunResult result = logged.result();
        RunResult reprocessed = etl.reprocess("csv_weird");

        assertThat(result.status()).as(result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.loaded()).isEqualTo(2);
        assertThat(result.rejected()).isZero();
        assertThat(reprocessed.status()).as(reprocessed.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(reprocessed.rejected()).isZero();
        assertThat(quote("BTC").price()).isEqualByComparingTo("96512.40");
        assertThat(quote("ETH").price()).isEqualByComparingTo("3321.09");
        List<String> drift = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT kind || ':' || coalesce(expected, '') || '<-' || coalesce(actual, '') || ':' || confidence
                       || ':' || action
                FROM schema_drift_events WHERE kind LIKE 'header%'""").mapTo(String.class).list());
        assertThat(drift).containsExactly("header_duplicate:price_usd<-price_2:1.000:ignored");
        assertThat(logged.messages()).containsExactly(
                        "source csv_weird: repeated.csv has another price_usd column, 'price_2', besides 'price',"
                                + " which is read; it is kept in the raw payload and otherwise ignored"
                                + " (header_duplicate)",
                        "source csv_weird: repeated.csv has no timestamp column; its rows are dated with the time"
                                + " the file was last modified (file_time_used)");
    }

    @Test
    void aHeaderRepeatedInAnotherCaseIsReadFromItsFirstColumnByIngestAndByReprocessAlike() throws Exception {
        // each later spelling sorts before the first one; PostgreSQL returns a jsonb payload's keys in its own order
        Path file = dir.resolve("cases.csv");
        Files.writeString(file, "Ticker;TICKER;Price (USD);PRICE (USD);price (usd);Date\n"
                + "eth;btc;$3,321.09;$96,512.40;$1;2025-01-15T12:05:00Z\n");
        Warnings<RunResult> logged = Warnings.of(CsvSource.class,
                () -> etl.run(RunRequest.of("csv_weird").withSetting("path", file.toString())));
        RunResult result = logged.result();

        assertThat(result.status()).as(result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(quote("ETH").price()).isEqualByComparingTo("3321.09");
        assertThat(db.count("assets")).isOne();
        List<String> drift = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT kind || ':' || expected || '<-' || actual FROM schema_drift_events
                WHERE kind = 'header_duplicate'""").mapTo(String.class).list());
        assertThat(drift).containsExactlyInAnyOrder("header_duplicate:price_usd<-PRICE (USD)",
                "header_duplicate:symbol<-TICKER", "header_duplicate:price_usd<-price (usd)");
        assertThat(logged.messages()).contains("source csv_weird: cases.csv has another symbol column, 'TICKER',"
                + " besides 'Ticker', which is read; it is kept in the raw payload and otherwise ignored"
                + " (header_duplicate)");
        Map<String, String> ingested = TableDigests.canonical(db);

        RunResult reprocessed = etl.reprocess("csv_weird");

        assertThat(reprocessed.status()).as(reprocessed.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(quote("ETH").price()).isEqualByComparingTo("3321.09");
        assertThat(db.count("assets")).isOne();
        assertThat(TableDigests.canonical(db)).isEqualTo(ingested);
    }

    @Test
    void aNameColumnOfBareTickersGivesTheSymbolsWhenThereIsNoSymbolColumn() throws Exception {
        Path file = dir.resolve("assets-by-ticker.csv");
        Files.writeString(file, "asset,price_usd,ts\nC027,2001.01,2025-01-02T01:00:00Z\nBitcoin,96000,"
                + "2025-01-02T01:00:00Z\nBitcoin (BTC),96512.40,2025-01-02T01:00:00Z\n");

        RunResult result = etl.run(RunRequest.of("csv_weird").withSetting("path", file.toString()));

        assertThat(result.status()).as(result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.loaded()).isEqualTo(2);
        assertThat(quote("C027").price()).isEqualByComparingTo("2001.01");
        assertThat(quote("BTC").price()).isEqualByComparingTo("96512.40");
        String reject = db.jdbi().withHandle(h -> h.createQuery("SELECT reason || ': ' || detail FROM etl_rejects")
                .mapTo(String.class).one());
        assertThat(reject).isEqualTo("missing_symbol: no symbol column, and the name is no ticker nor has one in"
                + " parentheses");
    }

    @Test
    void aSymbolCellThatWouldMarkAnEmptyCellIsTheTickerOfARowWhoseNameBeginsWithIt() throws Exception {
        // NIL is Nillion's ticker and NULL Null Matrix's; the same words in a row that names another asset, or none,
        // mark a missing symbol, as N/A always does
        Path file = dir.resolve("ticker-markers.csv");
        Files.writeString(file, "symbol,name,price_usd,ts\n"
                + "NIL,Nillion,0.3512,2025-03-24T00:00:00Z\n"
                + "null,Null Matrix,0.0042,2025-03-24T00:00:00Z\n"
                + "NULL,Bitcoin,84000,2025-03-24T00:00:00Z\n"
                + "nil,,1.5,2025-03-24T00:00:00Z\n"
                + "N/A,Nano,0.9,2025-03-24T00:00:00Z\n");

        RunResult result = etl.run(RunRequest.of("csv_weird").withSetting("path", file.toString()));

        assertThat(result.status()).as(result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.loaded()).isEqualTo(2);
        assertThat(quote("NIL").price()).isEqualByComparingTo("0.3512");
        assertThat(quote("NIL").sourceSymbol()).isEqualTo("NIL");
        assertThat(quote("NULL").price()).isEqualByComparingTo("0.0042");
        assertThat(quote("NULL").sourceSymbol()).isEqualTo("null");
        List<String> rejects = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT position || ' ' || reason FROM etl_rejects ORDER BY id").mapTo(String.class).list());
        assertThat(rejects).containsExactly("line 4 missing_symbol", "line 5 missing_symbol", "line 6 missing_symbol");
        assertThat(etl.reprocess("csv_weird").status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(quote("NULL").price()).isEqualByComparingTo("0.0042");
    }

    @Test
    void readsARankColumnNamedHashAndRanksWrittenWithAHashWhileSkippingComments() throws Exception {
        Path file = dir.resolve("ranked.csv");
        Files.writeString(file, "# exported 2025-01-02\n#,Name,Symbol,Price (USD),Date\n"
                + "1,Bitcoin,BTC,\"$96,512.40\",2025-01-02T01:00:00Z\n"
                + "#2,Ethereum,ETH,\"$3,400\",2025-01-02T01:00:00Z\n"
                + "# prices from the exchange's close\n"
                + "3,Tether,USDT,$1.00,2025-01-02T01:00:00Z\n");

        RunResult result = etl.run(RunRequest.of("csv_weird").withSetting("path", file.toString()));

        assertThat(result.status()).as(result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.processed()).isEqualTo(3);
        assertThat(result.loaded()).isEqualTo(3);
        assertThat(quote("BTC").price()).isEqualByComparingTo("96512.40");
        assertThat(quote("ETH").price()).isEqualByComparingTo("3400");
        assertThat(quote("USDT").price()).isEqualByComparingTo("1.00");
        List<Long> lines = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT line_no FROM raw_csv_assets ORDER BY line_no").mapTo(Long.class).list());
        assertThat(lines).containsExactly(3L, 4L, 6L);
    }

    @Test
    void aFileOfAHeaderAloneRecordsItsMappingsDriftOnceAndItsRowsAreReadWhenTheyCome() throws Exception {
        Path file = dir.resolve("new-feed.csv");
        Files.writeString(file, "ticker;Price (USD);last_seen\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2025-07-01T00:00:00Z")));
        RunRequest request = RunRequest.of("csv_weird").withSetting("path", file.toString());

        RunResult first = etl.run(request);
        RunResult again = etl.run(request);
        Files.writeString(file, "BTC;$96,000;2025-07-01T01:00:00Z\n", java.nio.file.StandardOpenOption.APPEND);
        RunResult grown = etl.run(request);

        assertThat(first.status()).as(first.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(first.processed()).isZero();
        List<String> drift = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT kind || ':' || expected || '<-' || coalesce(actual, '') FROM schema_drift_events
                WHERE run_id = :run ORDER BY id""").bind("run", first.runId()).mapTo(String.class).list());
        assertThat(drift).contains("header_alias:symbol<-ticker", "header_alias:price_usd<-Price (USD)");
        assertThat(again.processed()).isZero();
        long againDrift = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM schema_drift_events WHERE run_id = :run").bind("run", again.runId())
                .mapTo(Long.class).one());
        assertThat(againDrift).as("an unchanged file is not read again").isZero();
        assertThat(grown.loaded()).isEqualTo(1);
        assertThat(quote("BTC").price()).isEqualByComparingTo("96000");
    }

    @Test
    void aBlankOrNotApplicableTimestampInATimestampColumnIsRejectedNotDatedWithTheFileTime() throws Exception {
        Path file = dir.resolve("blank-times.csv");
        Files.writeString(file, "ticker;price;last_seen\nBTC;200;2025-06-01T00:00:00Z\nBTC;1;\nETH;3;N/A\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2025-07-01T00:00:00Z")));

        RunResult result = etl.run(RunRequest.of("csv_weird").withSetting("path", file.toString()));

        assertThat(result.status()).as(result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.loaded()).isEqualTo(1);
        assertThat(quote("BTC").price()).isEqualByComparingTo("200");
        List<String> rejects = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT position || ' ' || reason FROM etl_rejects ORDER BY id").mapTo(String.class).list());
        assertThat(rejects).containsExactly("line 3 invalid_timestamp", "line 4 invalid_timestamp");
    }

    @Test
    void reprocessGivesTheSameCanonicalRowsAndReingestingTheSameFileLoadsNothing() {
        etl.run(RunRequest.of("csv_weird"));
        String before = db.digest("SELECT source_symbol, price_usd, market_cap_usd, volume_24h_usd, observed_at"
                + " FROM asset_sources ORDER BY source_key");

        RunResult reprocessed = etl.reprocess("csv_weird");
        RunResult again = etl.run(RunRequest.of("csv_weird"));

        assertThat(reprocessed.status()).as(reprocessed.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(db.digest("SELECT source_symbol, price_usd, market_cap_usd, volume_24h_usd, observed_at"
                + " FROM asset_sources ORDER BY source_key")).isEqualTo(before);
        assertThat(again.processed()).isZero();
    }
}
