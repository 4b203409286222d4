package io.assetetl.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.assetetl.AssetEtl;
import io.assetetl.spi.InvalidSourceConfigException;
import io.assetetl.spi.SourceConfig;
import io.assetetl.store.internal.RunLedger;
import io.assetetl.testing.ListSourceFactory;
import io.assetetl.testing.TableDigests;
import io.assetetl.testing.TestDatabase;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.LoggerFactory;

class RunEngineIT {

    /** 20 rows over 6 symbols a minute apart, two of them bad: 7 chunks of 3. */
    private static final List<String> ROWS = new ArrayList<>();

    @BeforeAll
    static void data() {
        String[] symbols = {"BTC", "eth", "SOL", "ada", "XBT", "DOGE"};
        for (int i = 0; i < 20; i++) {
            String price = i == 7 ? "n/a" : i == 13 ? "-4" : Integer.toString(100 + i);
            ROWS.add(symbols[i % 6] + ",," + price + "," + (1_700_000_000L + i * 60L));
        }
        ListSourceFactory.dataset("rows", ROWS);
    }

    private static AssetEtl etl(TestDatabase db, String dataset, int batchSize) {
        return etl(db, dataset, batchSize, null);
    }

    private static AssetEtl etl(TestDatabase db, String dataset, int batchSize, Long failAfter) {
        return builder(db, dataset, batchSize, failAfter).build();
    }

    private static AssetEtl.Builder builder(TestDatabase db, String dataset, int batchSize, Long failAfter) {
        AssetEtl.Builder builder = AssetEtl.builder().dataSource(db.dataSource()).discoverFactories(false)
                .factory(new ListSourceFactory())
                .source(SourceDefinition.of("fake", "list", SourceConfig.of(Map.of(
                        "dataset", dataset, "batch_size", Integer.toString(batchSize)))));
        if (failAfter != null) {
            builder.failAfterRecords(failAfter);
        }
        return builder;
    }

    @Test
    void loadsValidRecordsRejectsBadOnesAndKeepsTheCounterInvariant() {
        TestDatabase db = TestDatabase.create();
        RunResult result = etl(db, "rows", 3).run(RunRequest.of("fake"));

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.processed()).isEqualTo(20);
        assertThat(result.rejected()).isEqualTo(2);
        assertThat(result.loaded()).isEqualTo(18);
        assertThat(result.processed()).isEqualTo(result.loaded() + result.unchanged() + result.rejected());
        // XBT is an alias of BTC: five canonical assets
        assertThat(db.count("assets")).isEqualTo(5);
        assertThat(db.count("asset_quotes")).isEqualTo(18);
        assertThat(db.count("asset_sources")).isEqualTo(5);
        assertThat(db.count("raw_records")).isEqualTo(20);
        List<String> reasons = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT reason FROM etl_rejects ORDER BY position").mapTo(String.class).list());
        assertThat(reasons).containsExactly("invalid_price", "invalid_price");
        Integer ledgerRows = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM etl_runs WHERE status = 'succeeded' AND records_processed = 20 AND chunks = 7")
                .mapTo(Integer.class).one());
        assertThat(ledgerRows).isEqualTo(1);
    }

    @Test
    void rejectsObservationsTimedOutsideTheYears1To9999AndLoadsTheRest() {
        ListSourceFactory.dataset("far", List.of("BTC,,100,1700000000", "ETH,,200,253402300800",
                "SOL,,300,-62135596801", "ADA,,1,253402300799.999999"));
        TestDatabase db = TestDatabase.create();
        // a clock in the year 9999, so that the last instant of it is not in the future
        Clock lastDay = Clock.fixed(Instant.parse("9999-12-31T00:00:00Z"), ZoneOffset.UTC);
        RunResult result = builder(db, "far", 10, null).clock(lastDay).build().run(RunRequest.of("fake"));

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.loaded()).isEqualTo(2);
        assertThat(result.rejected()).isEqualTo(2);
        List<String> rejects = rejects(db);
        assertThat(rejects).containsExactly(
                "invalid_timestamp: time outside the years 1 to 9999: +10000-01-01T00:00:00Z",
                "invalid_timestamp: time outside the years 1 to 9999: 0000-12-31T23:59:59Z");
        String latest = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT q.observed_at::text FROM asset_quotes q JOIN assets a ON a.id = q.asset_id
                WHERE a.canonical_symbol = 'ADA'""").mapTo(String.class).one());
        assertThat(latest).isEqualTo("9999-12-31 23:59:59.999999+00");
    }

    @Test
    void rejectsObservationsTimedMoreThanADayAheadOfTheClockSoThatNoneBecomesTheLatest() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        long seconds = now.getEpochSecond();
        ListSourceFactory.dataset("ahead", List.of("BTC,,100," + (seconds - 60), "BTC,,999," + (seconds + 86_401),
                "BTC,,101," + (seconds + 86_400), "ETH,,5,253402300799"));
        TestDatabase db = TestDatabase.create();
        AssetEtl etl = builder(db, "ahead", 10, null).clock(Clock.fixed(now, ZoneOffset.UTC)).build();

        RunResult result = etl.run(RunRequest.of("fake"));

        assertThat(result.loaded()).isEqualTo(2);
        assertThat(result.rejected()).isEqualTo(2);
        List<String> rejects = rejects(db);
        assertThat(rejects).containsExactly(
                "invalid_timestamp: time more than a day in the future: 2026-01-02T00:00:01Z",
                "invalid_timestamp: time more than a day in the future: 9999-12-31T23:59:59Z");
        String latest = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT s.price_usd::text FROM asset_sources s JOIN assets a ON a.id = s.asset_id
                WHERE a.canonical_symbol = 'BTC'""").mapTo(String.class).one());
        assertThat(latest).as("a day ahead is still allowed").isEqualTo("101");
        assertThat(db.count("asset_quotes")).isEqualTo(2);
    }

    @Test
    void aRunThatFailsOnItsSourceIsLoggedInOneLineWithItsStackTraceAtDebug() {
        Logger engine = (Logger) LoggerFactory.getLogger(RunEngine.class);
        Level level = engine.getLevel();
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        engine.addAppender(logs);
        engine.setLevel(Level.DEBUG);
        try {
            RunResult result = builder(TestDatabase.create(), "no-such-data-set", 10, null).build()
                    .run(RunRequest.of("fake"));

            assertThat(result.status()).isEqualTo(RunStatus.FAILED);
            assertThat(logs.list).filteredOn(e -> e.getLevel() == Level.ERROR).singleElement().satisfies(e -> {
                assertThat(e.getFormattedMessage()).isEqualTo("run failed: no data set no-such-data-set");
                assertThat(e.getThrowableProxy()).isNull();
            });
            assertThat(logs.list).filteredOn(e -> e.getLevel() == Level.DEBUG && e.getThrowableProxy() != null)
                    .singleElement().satisfies(e -> assertThat(e.getThrowableProxy().getMessage())
                            .isEqualTo("no data set no-such-data-set"));
        } finally {
            engine.detachAppender(logs);
            engine.setLevel(level);
        }
    }

    @Test
    void settingsTheFactoryRefusesAreRefusedToTheCallerBeforeAnyRunIsRecorded() {
        TestDatabase db = TestDatabase.create();
        ListSourceFactory.dataset("settings", ROWS);
        AssetEtl etl = AssetEtl.builder().dataSource(db.dataSource()).discoverFactories(false)
                .factory(new ListSourceFactory())
                .source(SourceDefinition.of("typo", "list", SourceConfig.of(Map.of(
                        "dataset", "settings", "batch_size", "three"))))
                .source(SourceDefinition.of("fake", "list", SourceConfig.of(Map.of("dataset", "settings"))))
                .build();

        assertThatThrownBy(() -> etl.run(RunRequest.of("typo"))).isInstanceOf(InvalidSourceConfigException.class)
                .hasMessage("setting 'batch_size' is not a whole number: three");
        assertThatThrownBy(() -> etl.start(RunRequest.of("fake").withSetting("batch_size", "0x10")))
                .isInstanceOf(InvalidSourceConfigException.class);
        assertThatThrownBy(() -> etl.reprocess("typo")).isInstanceOf(InvalidSourceConfigException.class);

        assertThat(db.count("etl_runs")).isZero();
        assertThat(etl.run(RunRequest.of("fake")).succeeded()).as("the source is not held").isTrue();
    }

    @Test
    void aFailureWhoseMessageHoldsANulIsRecordedWithTheNulReplaced() {
        TestDatabase db = TestDatabase.create();
        try (AssetEtl etl = builder(db, "feed\u0000one", 10, null).build()) {
            RunResult result = etl.run(RunRequest.of("fake"));

            assertThat(result.status()).isEqualTo(RunStatus.FAILED);
            assertThat(etl.findRun(result.runId()).orElseThrow()).satisfies(run -> {
                assertThat(run.status()).as("not left running, to be marked abandoned").isEqualTo(RunStatus.FAILED);
                assertThat(run.error()).contains("no data set feed\uFFFDone");
            });
        }
    }

    @Test
    void rejectsNegativeAmountsAndAmountsBeyondOrFinerThanAnyAssetsValue() {
        ListSourceFactory.dataset("amounts", List.of(
                "BTC,,95000,1700000000,Bitcoin,1900000000000,30000000000",
                "ETH,,3000,1700000000,Ether,-1000,",
                "SOL,,150,1700000000,Solana,,-1",
                "ADA,,1e308,1700000000,Cardano",
                "XRP,,0.5,1700000000,Ripple,1000000000000000000000000000000,",
                "DOT,,7,1700000000,Polkadot,999999999999999999999999999999.99,",
                "DOGE,,1E-17000,1700000000,Dogecoin",
                "SHIB,,0.00000000000000000000000000000000000000000000000000000000001,1700000000,Shiba",
                "PEPE,,0.000000000001,1700000000,Pepe,1E-20000,",
                "TRX,,0.25000000000000000000000000000000000000000000000000000000000000000000,1700000000,Tron"));
        TestDatabase db = TestDatabase.create();

        RunResult result = builder(db, "amounts", 10, null).build().run(RunRequest.of("fake"));

        assertThat(result.loaded()).as("BTC, DOT, SHIB (59 digits after the point) and TRX (trailing zeros)")
                .isEqualTo(4);
        assertThat(rejects(db)).containsExactly(
                "invalid_number: market_cap_usd must not be negative: -1000",
                "invalid_number: volume_24h_usd must not be negative: -1",
                "invalid_price: price 1E+308 is beyond any asset's (1e30 USD or more): a unit or parsing mistake",
                "invalid_number: market_cap_usd 1000000000000000000000000000000 is beyond any asset's (1e30 USD or"
                        + " more): a unit or parsing mistake",
                "invalid_price: price has 17000 digits after the point, more than any amount of dollars (60 at most):"
                        + " a unit or parsing mistake",
                "invalid_number: market_cap_usd has 20000 digits after the point, more than any amount of dollars"
                        + " (60 at most): a unit or parsing mistake");
        assertThat(db.count("asset_quotes")).isEqualTo(4);
    }

    @Test
    void rejectsSymbolsAndNamesLongerThanAnyAssetsWhateverTheAdapterHandsOut() {
        String longSymbol = "S".repeat(65);
        String longName = "n".repeat(1_000_000);
        ListSourceFactory.dataset("lengths", List.of(
                "X".repeat(64) + ",,95000,1700000000,Bitcoin",
                longSymbol + ",,3000,1700000000,Ether",
                "ETH,,3000,1700000000," + longName,
                "SOL,,150,1700000000," + "\uD83E\uDE99".repeat(200),
                "ADA,,0.5,1700000000," + "\uD83E\uDE99".repeat(201)));
        TestDatabase db = TestDatabase.create();

        RunResult result = builder(db, "lengths", 10, null).build().run(RunRequest.of("fake"));

        assertThat(result.loaded()).isEqualTo(2);
        assertThat(rejects(db)).containsExactly(
                "invalid_symbol: symbol is 65 characters long, longer than any ticker (64 at most)",
                "invalid_name: name is 1000000 characters long, longer than any asset's (200 at most)",
                "invalid_name: name is 201 characters long, longer than any asset's (200 at most)");
        int longestName = db.jdbi().withHandle(h -> h.createQuery("SELECT max(length(name)) FROM assets")
                .mapTo(Integer.class).one());
        assertThat(longestName).isEqualTo(200);
    }

    @Test
    void aLaterRecordOfTheSameSymbolAndTimeInAChunkReplacesTheEarlierWhichCountsAsLoadedUnlessItWasRepeated() {
        ListSourceFactory.dataset("same-instant", List.of(
                "SOL,,123.8,1700000000,Solana",
                "SOL,,123.82,1700000000,Wrapped SOL",
                "BTC,,100,1700000000,Bitcoin",
                "XBT,,101,1700000000,Bitcoin",
                "BTC,,101.0,1700000000,Bitcoin",
                "SOL,,124,1700000060,Solana"));
        TestDatabase db = TestDatabase.create();

        RunResult result = etl(db, "same-instant", 10).run(RunRequest.of("fake"));

        // as if each record had been a chunk of its own: the first four were written, the fifth repeats the fourth
        assertThat(result.loaded()).isEqualTo(5);
        assertThat(result.unchanged()).isEqualTo(1);
        assertThat(result.rejected()).isZero();
        List<String> quotes = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT a.canonical_symbol || ' ' || q.price_usd FROM asset_quotes q JOIN assets a ON a.id = q.asset_id
                ORDER BY a.canonical_symbol, q.observed_at""").mapTo(String.class).list());
        assertThat(quotes).containsExactly("BTC 101.0", "SOL 123.82", "SOL 124");
    }

    @Test
    void rereadingRecordsThatReplaceEachOtherAtOneInstantLoadsNothingAndTheLedgerSaysSo() {
        ListSourceFactory.dataset("same-instant-again", List.of(
                "SOL,,123.8,1700000000,Solana",
                "SOL,,123.82,1700000000,Solana",
                "BTC,,100,1700000000,Bitcoin",
                "XBT,,101,1700000000,Bitcoin",
                "SOL,,124,1700000060,Solana"));
        TestDatabase db = TestDatabase.create();
        AssetEtl etl = etl(db, "same-instant-again", 10);
        etl.run(RunRequest.of("fake"));
        db.jdbi().useHandle(h -> h.execute("DELETE FROM etl_checkpoints"));
        String before = rowVersions(db);

        RunResult again = etl.run(RunRequest.of("fake"));

        assertThat(rowVersions(db)).as("no canonical row written").isEqualTo(before);
        assertThat(again.loaded()).isZero();
        assertThat(again.unchanged()).isEqualTo(5);
        RunRecord ledger = etl.findRun(again.runId()).orElseThrow();
        assertThat(List.of(ledger.recordsProcessed(), ledger.recordsLoaded(), ledger.recordsUnchanged(),
                ledger.recordsRejected())).containsExactly(5L, 0L, 5L, 0L);
    }

    @Test
    void aRecordThatChangesOnlyItsSourcesLatestValuesCountsAsLoaded() {
        ListSourceFactory.dataset("named", List.of("BTC,,100,1700000000,Bitcoin", "ETH,,2000,1700000000,Ether"));
        ListSourceFactory.dataset("renamed", List.of("BTC,,100,1700000000,Bitcoin Core",
                "ETH,,2000,1700000000,Ether"));
        TestDatabase db = TestDatabase.create();
        etl(db, "named", 10).run(RunRequest.of("fake"));
        db.jdbi().useHandle(h -> h.execute("DELETE FROM etl_checkpoints"));
        AssetEtl renaming = etl(db, "renamed", 10);

        RunResult renamed = renaming.run(RunRequest.of("fake"));

        String name = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT name FROM asset_sources WHERE source_key = 'BTC'").mapTo(String.class).one());
        assertThat(name).isEqualTo("Bitcoin Core");
        assertThat(renamed.loaded()).as("BTC's name changed, its price history did not").isEqualTo(1);
        assertThat(renamed.unchanged()).isEqualTo(1);
        RunRecord ledger = renaming.findRun(renamed.runId()).orElseThrow();
        assertThat(List.of(ledger.recordsProcessed(), ledger.recordsLoaded(), ledger.recordsUnchanged(),
                ledger.recordsRejected())).containsExactly(2L, 1L, 1L, 0L);
    }

    @Test
    void aRunRecordsItsSourceTypeOverridesCheckpointsAndSpeedAsMetadata() {
        TestDatabase db = TestDatabase.create();
        AssetEtl etl = etl(db, "rows", 3);

        RunResult first = etl.run(RunRequest.of("fake"));
        RunResult second = etl.run(RunRequest.of("fake").withSetting("batch_size", "5")
                .withSetting("api_key", "not-for-the-ledger"));

        JsonNode firstRun = metadata(db, first.runId());
        assertThat(firstRun.get("source_type").asText()).isEqualTo("list");
        assertThat(firstRun.get("overrides").size()).isZero();
        assertThat(firstRun.get("checkpoint_start").isNull()).isTrue();
        assertThat(firstRun.get("checkpoint_end").get("next").asInt()).isEqualTo(20);
        assertThat(firstRun.get("drift_events").asLong()).isZero();
        RunRecord firstRecord = etl.findRun(first.runId()).orElseThrow();
        // over the stored duration, which PostgreSQL rounds to the millisecond as the engine does, give or take one
        long processed = firstRecord.recordsProcessed();
        long duration = firstRecord.durationMs();
        assertThat(firstRun.get("records_per_second").asLong()).as("over the stored duration, %d ms", duration)
                .isBetween(processed * 1000 / (duration + 1), processed * 1000 / Math.max(1, duration - 1));
        JsonNode secondRun = metadata(db, second.runId());
        assertThat(secondRun.get("overrides").get("batch_size").asText()).isEqualTo("5");
        assertThat(secondRun.get("overrides").get("api_key").asText()).isEqualTo("***");
        assertThat(secondRun.get("checkpoint_start")).isEqualTo(firstRun.get("checkpoint_end"));
        assertThat(secondRun.get("checkpoint_end").isNull()).as("nothing left to commit").isTrue();
        assertThat(secondRun.get("records_per_second").asLong()).isZero();
    }

    private static JsonNode metadata(TestDatabase db, UUID runId) {
        String json = db.jdbi().withHandle(h -> h.createQuery("SELECT metadata::text FROM etl_runs WHERE run_id = :id")
                .bind("id", runId).mapTo(String.class).one());
        try {
            return new ObjectMapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Each reject as "reason: detail", in position order. */
    private static List<String> rejects(TestDatabase db) {
        return db.jdbi().withHandle(h -> h.createQuery(
                "SELECT reason || ': ' || detail FROM etl_rejects ORDER BY position").mapTo(String.class).list());
    }

    @Test
    void keepsTheLatestValuePerSourceAndEveryQuote() {
        TestDatabase db = TestDatabase.create();
        etl(db, "rows", 3).run(RunRequest.of("fake"));

        // BTC rows: 0 (BTC, 100), 4 (XBT, 104), 6, 10 (XBT), 12, 16 (XBT), 18 (BTC, 118): the latest wins
        Map<String, Object> btc = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT s.source_symbol, s.price_usd::text AS price
                FROM asset_sources s JOIN assets a ON a.id = s.asset_id
                WHERE a.canonical_symbol = 'BTC'""").mapToMap().one());
        assertThat(btc).containsEntry("source_symbol", "BTC").containsEntry("price", "118");
    }

    @Test
    void anUnchangedRerunLoadsNothingAndTouchesNoCanonicalRow() {
        TestDatabase db = TestDatabase.create();
        AssetEtl etl = etl(db, "rows", 3);
        etl.run(RunRequest.of("fake"));
        db.jdbi().useHandle(h -> h.execute("DELETE FROM etl_checkpoints"));
        String before = rowVersions(db);

        RunResult again = etl.run(RunRequest.of("fake"));

        assertThat(again.loaded()).isZero();
        assertThat(again.unchanged()).isEqualTo(18);
        assertThat(again.rejected()).isEqualTo(2);
        assertThat(rowVersions(db)).isEqualTo(before);
        assertThat(db.count("raw_records")).isEqualTo(20);
    }

    @Test
    void aRunAfterTheEndOfTheInputProcessesNothing() {
        TestDatabase db = TestDatabase.create();
        AssetEtl etl = etl(db, "rows", 3);
        etl.run(RunRequest.of("fake"));

        RunResult again = etl.run(RunRequest.of("fake"));

        assertThat(again.succeeded()).isTrue();
        assertThat(again.processed()).isZero();
    }

    @Test
    void aFailureInsideEachChunkThenAResumeEndsWithTheSameTablesAsAStraightRun() {
        TestDatabase reference = TestDatabase.create();
        etl(reference, "rows", 3).run(RunRequest.of("fake"));
        Map<String, String> expected = TableDigests.of(reference);

        for (long failAfter = 0; failAfter < 20; failAfter += 2) {
            TestDatabase db = TestDatabase.create();
            RunResult failed = etl(db, "rows", 3, failAfter).run(RunRequest.of("fake"));
            assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
            assertThat(failed.error()).contains("ETL_FAIL_AFTER_RECORDS");
            assertThat(failed.processed()).isLessThanOrEqualTo(failAfter);

            RunResult resumed = etl(db, "rows", 3).run(RunRequest.of("fake"));

            assertThat(resumed.succeeded()).isTrue();
            assertThat(failed.processed() + resumed.processed()).isEqualTo(20);
            assertThat(TableDigests.of(db)).as("after failing at %d", failAfter).isEqualTo(expected);
            assertThat(etl(db, "rows", 3).findRun(resumed.runId()).orElseThrow().resumedFrom())
                    .isEqualTo(failed.processed() == 0 ? null : failed.runId());
        }
    }

    @Test
    void aSecondRunOfTheSameSourceIsRefusedWhileTheFirstHoldsIt() throws Exception {
        TestDatabase db = TestDatabase.create();
        ListSourceFactory.dataset("gated", ROWS);
        try (ListSourceFactory.Gate gate = ListSourceFactory.gate("gated");
                AssetEtl first = etl(db, "gated", 3); AssetEtl otherProcess = etl(db, "gated", 3)) {
            StartedRun running = startedAtGate(first, gate);

            assertThatThrownBy(() -> otherProcess.run(RunRequest.of("fake")))
                    .isInstanceOf(RunRefusedException.class)
                    .hasMessageContaining("fake");
            assertThatThrownBy(() -> first.start(RunRequest.of("fake"))).isInstanceOf(RunRefusedException.class);

            gate.open();
            RunResult result = running.completion().get(30, TimeUnit.SECONDS);
            assertThat(result.succeeded()).isTrue();
            assertThat(otherProcess.run(RunRequest.of("fake")).succeeded()).isTrue();
        }
    }

    @Test
    void aRunLeftRunningByAProcessThatEndedIsMarkedAbandonedWithoutWaitingForTheNextRunAndALiveOneIsLeftAlone()
            throws Exception {
        TestDatabase db = TestDatabase.create();
        UUID dead = UUID.randomUUID();
        db.jdbi().useHandle(h -> RunLedger.insertRunning(h, dead, "fake", "ingest",
                Instant.parse("2026-01-01T00:00:00Z"), null, "a-host-that-died"));
        ListSourceFactory.dataset("alive", ROWS);
        try (ListSourceFactory.Gate gate = ListSourceFactory.gate("alive");
                AssetEtl etl = etl(db, "alive", 3); AssetEtl monitor = etl(db, "alive", 3)) {
            assertThat(monitor.abandonDeadRuns()).containsExactly(dead);
            assertThat(etl.findRun(dead).orElseThrow().status()).isEqualTo(RunStatus.ABANDONED);

            StartedRun live = startedAtGate(etl, gate);
            assertThat(monitor.abandonDeadRuns()).as("the live run holds its lock").isEmpty();
            assertThat(etl.findRun(live.runId()).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);

            gate.open();
            assertThat(live.completion().get(30, TimeUnit.SECONDS).succeeded()).isTrue();
        }
    }

    @Test
    void aRunWhoseSessionEndsIsNeitherTakenForDeadByItsOwnProcessNorRunAgainBesideIt() throws Exception {
        TestDatabase db = TestDatabase.create();
        ListSourceFactory.dataset("cut", ROWS);
        try (ListSourceFactory.Gate gate = ListSourceFactory.gate("cut");
                AssetEtl etl = etl(db, "cut", 3)) {
            StartedRun running = startedAtGate(etl, gate);
            // the run's session ends while it waits for its source (an administrator, an idle-session timeout, a
            // pooler restarting), and the source's lock with it; the run itself goes on until it next writes
            db.jdbi().useHandle(h -> h.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND pid <> pg_backend_pid()"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                    + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")
                    .mapTo(Long.class).one()) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }

            assertThat(etl.abandonDeadRuns()).as("the run is alive in this very process").isEmpty();
            assertThat(etl.findRun(running.runId()).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
            assertThatThrownBy(() -> etl.start(RunRequest.of("fake"))).isInstanceOf(RunRefusedException.class);
            assertThatThrownBy(() -> etl.run(RunRequest.of("fake"))).isInstanceOf(RunRefusedException.class);

            gate.open();
            RunResult failed = running.completion().get(30, TimeUnit.SECONDS);

            assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
            RunRecord recorded = etl.findRun(running.runId()).orElseThrow();
            assertThat(recorded.status()).isEqualTo(RunStatus.FAILED);
            assertThat(recorded.error()).contains("terminating connection");
            assertThat(etl.runs(10, Optional.of("fake"), Optional.empty())).as("no second run beside it")
                    .extracting(RunRecord::runId).containsExactly(running.runId());
            assertThat(etl.run(RunRequest.of("fake")).succeeded()).as("free again once it ended").isTrue();
        }
    }

    @Test
    void aStartThatLosesItsConnectionPartWayLeavesNoRunBehindForTheCallerThatWasToldNoneStarted() {
        TestDatabase db = TestDatabase.create();
        // the session ends part way through the start (as pg_terminate_backend did in a soak, between the run's row
        // and the staging tables): the next statement on it fails as a lost connection does
        AtomicBoolean cut = new AtomicBoolean(true);
        DataSource cutting = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(db.dataSource(), args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (!method.getName().equals("getConnection")) {
                        return result;
                    }
                    Connection connection = (Connection) result;
                    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                            (c, m, a) -> {
                                if (m.getName().equals("prepareStatement") && a[0] instanceof String sql
                                        && sql.contains("CREATE TEMP TABLE IF NOT EXISTS etl_stage (")
                                        && cut.getAndSet(false)) {
                                    connection.close();
                                    throw new java.sql.SQLException(
                                            "An I/O error occurred while sending to the backend.", "08006");
                                }
                                try {
                                    return m.invoke(connection, a);
                                } catch (java.lang.reflect.InvocationTargetException e) {
                                    throw e.getCause();
                                }
                            });
                });
        try (AssetEtl etl = AssetEtl.builder().dataSource(cutting).discoverFactories(false)
                .factory(new ListSourceFactory()).source(SourceDefinition.of("fake", "list",
                        SourceConfig.of(Map.of("dataset", "rows", "batch_size", "3")))).build()) {
            assertThatThrownBy(() -> etl.start(RunRequest.of("fake")))
                    .isInstanceOf(org.jdbi.v3.core.JdbiException.class);

            assertThat(etl.runs(10, Optional.of("fake"), Optional.empty())).as("no run exists").isEmpty();
            RunResult next = etl.run(RunRequest.of("fake"));
            assertThat(next.succeeded()).isTrue();
            assertThat(etl.runs(10, Optional.of("fake"), Optional.empty()))
                    .as("no phantom run marked abandoned beside it").extracting(RunRecord::runId)
                    .containsExactly(next.runId());
        }
    }

    @Test
    void aFailureThatCouldNotBeRecordedWhileTheDatabaseWasGoneIsRecordedOnceItAnswersNotMarkedAbandoned()
            throws Exception {
        TestDatabase db = TestDatabase.create();
        ListSourceFactory.dataset("outage", ROWS);
        AtomicBoolean down = new AtomicBoolean();
        javax.sql.DataSource flaky = refusingWhile(down, db);
        try (ListSourceFactory.Gate gate = ListSourceFactory.gate("outage");
                AssetEtl etl = AssetEtl.builder().dataSource(flaky).discoverFactories(false)
                        .factory(new ListSourceFactory()).source(SourceDefinition.of("fake", "list",
                                SourceConfig.of(Map.of("dataset", "outage", "batch_size", "3")))).build()) {
            StartedRun run = startedAtGate(etl, gate);
            down.set(true);
            db.jdbi().useHandle(h -> h.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND pid <> pg_backend_pid()"));
            gate.open();

            RunResult failed = run.completion().get(30, TimeUnit.SECONDS);

            assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
            String shown = db.jdbi().withHandle(h -> h.createQuery("SELECT status FROM etl_runs WHERE run_id = :run")
                    .bind("run", run.runId()).mapTo(String.class).one());
            assertThat(shown).as("nothing could record it yet").isEqualTo("running");

            down.set(false);

            assertThat(etl.abandonDeadRuns()).isEmpty();
            RunRecord recorded = etl.findRun(run.runId()).orElseThrow();
            assertThat(recorded.status()).isEqualTo(RunStatus.FAILED);
            assertThat(recorded.error()).isEqualTo(failed.error()).contains("terminating connection");
        }
    }

    @Test
    void aRunAnotherProcessMarkedAbandonedWhileItsFailureCouldNotBeRecordedStaysAbandoned() throws Exception {
        TestDatabase db = TestDatabase.create();
        ListSourceFactory.dataset("outage-elsewhere", ROWS);
        AtomicBoolean down = new AtomicBoolean();
        javax.sql.DataSource flaky = refusingWhile(down, db);
        SourceDefinition fake = SourceDefinition.of("fake", "list",
                SourceConfig.of(Map.of("dataset", "outage-elsewhere", "batch_size", "3")));
        try (ListSourceFactory.Gate gate = ListSourceFactory.gate("outage-elsewhere");
                AssetEtl etl = AssetEtl.builder().dataSource(flaky).discoverFactories(false)
                        .factory(new ListSourceFactory()).source(fake).build();
                AssetEtl otherReplica = AssetEtl.builder().dataSource(db.dataSource()).discoverFactories(false)
                        .factory(new ListSourceFactory()).source(fake).build()) {
            StartedRun run = startedAtGate(etl, gate);
            down.set(true);
            db.jdbi().useHandle(h -> h.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND pid <> pg_backend_pid()"));
            gate.open();
            assertThat(run.completion().get(30, TimeUnit.SECONDS).status()).isEqualTo(RunStatus.FAILED);

            // the run's session, and with it the source's lock, is gone: another replica takes the run for dead
            assertThat(otherReplica.abandonDeadRuns()).containsExactly(run.runId());
            RunRecord abandoned = otherReplica.findRun(run.runId()).orElseThrow();
            down.set(false);

            assertThat(etl.recordPendingFailures()).as("nothing left to record").isTrue();
            RunRecord shown = etl.findRun(run.runId()).orElseThrow();
            assertThat(shown.status()).as("a finished run's status is written once").isEqualTo(RunStatus.ABANDONED);
            assertThat(shown.finishedAt()).isEqualTo(abandoned.finishedAt());
            assertThat(shown.error()).isEqualTo(abandoned.error());
        }
    }

    @Test
    void aRunAlreadyMarkedAbandonedElsewhereIsNotRecordedAgainWhenItFails() throws Exception {
        TestDatabase db = TestDatabase.create();
        ListSourceFactory.dataset("marked-elsewhere", ROWS);
        try (ListSourceFactory.Gate gate = ListSourceFactory.gate("marked-elsewhere")) {
            AssetEtl etl = etl(db, "marked-elsewhere", 3);
            StartedRun run = startedAtGate(etl, gate);
            // as a replica that found the run's session gone does (abandonDeadRuns): here the session is alive, so
            // the row is changed by hand
            db.jdbi().useHandle(h -> h.createUpdate("UPDATE etl_runs SET status = 'abandoned', finished_at = now(),"
                    + " duration_ms = 0, error = 'marked elsewhere' WHERE run_id = :run").bind("run", run.runId())
                    .execute());
            etl.close();

            RunResult result = run.completion().get(30, TimeUnit.SECONDS);

            assertThat(result.status()).as("the ledger's, not this process's").isEqualTo(RunStatus.ABANDONED);
            assertThat(result.error()).isEqualTo("marked elsewhere");
            RunRecord shown = etl(db, "marked-elsewhere", 3).findRun(run.runId()).orElseThrow();
            assertThat(shown.status()).isEqualTo(RunStatus.ABANDONED);
            assertThat(shown.error()).isEqualTo("marked elsewhere");
        }
    }

    /** A run of {@code etl}'s source {@code fake}, started in the background and held at {@code gate}. */
    private static StartedRun startedAtGate(AssetEtl etl, ListSourceFactory.Gate gate) throws InterruptedException {
        StartedRun run = etl.start(RunRequest.of("fake"));
        assertThat(gate.entered().await(10, TimeUnit.SECONDS)).isTrue();
        return run;
    }

    /** {@code db}'s connections, refused while {@code down} is set, as by a database that went away. */
    private static javax.sql.DataSource refusingWhile(AtomicBoolean down, TestDatabase db) {
        return (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(RunEngineIT.class.getClassLoader(),
                new Class<?>[] {javax.sql.DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection") && down.get()) {
                        throw new java.sql.SQLException("Connection refused (the test's outage)", "08001");
                    }
                    try {
                        return method.invoke(db.dataSource(), args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void closingTheLibraryInterruptsABackgroundRunWhichIsRecordedAsFailedBeforeCloseReturns() throws Exception {
        TestDatabase db = TestDatabase.create();
        ListSourceFactory.dataset("held-by-close", ROWS);
        try (ListSourceFactory.Gate gate = ListSourceFactory.gate("held-by-close")) {
            AssetEtl etl = etl(db, "held-by-close", 3);
            StartedRun running = startedAtGate(etl, gate);

            etl.close();

            RunResult result = running.completion().getNow(null);
            assertThat(result).as("ended before close returned").isNotNull();
            assertThat(result.status()).isEqualTo(RunStatus.FAILED);
            assertThat(result.error()).isEqualTo(
                    "interrupted: the process running it was shutting down, or its library was closed"
                            + " (interrupted while waiting for the next batch)");
            assertThat(gate.latch().getCount()).as("the held batch was never released").isOne();
        }
    }

    @Test
    void aPoolThatHandsOutConnectionsWithoutAutoCommitStillHasEveryChunkAndTheRunCommitted() {
        TestDatabase db = TestDatabase.create();
        // as a pool set up for an ORM does (autoCommit: false)
        DataSource withoutAutoCommit = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    Object result = method.invoke(db.dataSource(), args);
                    if (result instanceof Connection connection) {
                        connection.setAutoCommit(false);
                    }
                    return result;
                });
        AssetEtl etl = AssetEtl.builder().dataSource(withoutAutoCommit).discoverFactories(false)
                .factory(new ListSourceFactory())
                .source(SourceDefinition.of("fake", "list", SourceConfig.of(Map.of("dataset", "rows",
                        "batch_size", "3"))))
                .build();

        RunResult result = etl.run(RunRequest.of("fake"));

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        // seen from other connections: committed
        assertThat(db.count("asset_quotes")).isEqualTo(18);
        assertThat(etl(db, "rows", 3).findRun(result.runId()).orElseThrow().status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(etl.runs(10, Optional.of("fake"), Optional.empty())).hasSize(1);
    }

    @Test
    void aSymbolWithAControlCharacterIsRejectedAsNoRequestCouldNameIt() {
        TestDatabase db = TestDatabase.create();
        ListSourceFactory.dataset("controls", List.of("BT\u007fC,,1,1700000000", "TAB\tX,,1,1700000000",
                "NEL\u0085X,,1,1700000000", "BTC,,2,1700000000"));

        RunResult result = etl(db, "controls", 10).run(RunRequest.of("fake"));

        assertThat(result.loaded()).isEqualTo(1);
        assertThat(result.rejected()).isEqualTo(3);
        List<String> details = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT reason || ': ' || detail FROM etl_rejects ORDER BY id").mapTo(String.class).list());
        assertThat(details).containsExactly("invalid_symbol: symbol holds a control character (U+007F)",
                "invalid_symbol: symbol holds a control character (U+0009)",
                "invalid_symbol: symbol holds a control character (U+0085)");
    }

    @Test
    void aSymbolWithHalfASurrogatePairIsRejectedInsteadOfFailingTheChunk() {
        TestDatabase db = TestDatabase.create();
        ListSourceFactory.dataset("surrogates", List.of("\uD800X,,1,1700000000", "\uD801X,,1,1700000000",
                "X\uDC00,,1,1700000000", "\uD83D\uDE80X,,2,1700000000", "BTC,,3,1700000000"));

        RunResult result = etl(db, "surrogates", 10).run(RunRequest.of("fake"));

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.loaded()).isEqualTo(2);
        assertThat(result.rejected()).isEqualTo(3);
        List<String> details = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT reason || ': ' || detail FROM etl_rejects ORDER BY id").mapTo(String.class).list());
        assertThat(details).containsExactly(
                "invalid_symbol: symbol holds half of a surrogate pair (U+D800), which no text can store",
                "invalid_symbol: symbol holds half of a surrogate pair (U+D801), which no text can store",
                "invalid_symbol: symbol holds half of a surrogate pair (U+DC00), which no text can store");
        List<String> assets = db.jdbi().withHandle(h -> h.createQuery("SELECT canonical_symbol FROM assets ORDER BY 1")
                .mapTo(String.class).list());
        assertThat(assets).containsExactly("BTC", "\uD83D\uDE80X");
    }

    @Test
    void anIdLongerThanAnyIsRejectedInsteadOfFailingTheChunkOnTheKeyOfAssetSources() {
        TestDatabase db = TestDatabase.create();
        ListSourceFactory.dataset("long-id", List.of("BTC," + "x".repeat(6000) + ",1,1700000000",
                "ETH,ethereum,2,1700000000"));

        RunResult result = etl(db, "long-id", 10).run(RunRequest.of("fake"));

        assertThat(result.status()).as(result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.loaded()).isEqualTo(1);
        String detail = db.jdbi().withHandle(h -> h.createQuery("SELECT reason || ': ' || detail FROM etl_rejects")
                .mapTo(String.class).one());
        assertThat(detail).isEqualTo("invalid_id: id is 6000 characters long, longer than any asset's (200 at most)");
    }

    @Test
    void aBlankIdIsRejectedRatherThanKeyingEveryAssetWithoutAnIdAsOneSourceRow() {
        TestDatabase db = TestDatabase.create();
        ListSourceFactory.dataset("blank-id", List.of("BTC, ,95000,1700000000", "ETH, ,3000,1700000000",
                "SOL,solana,150,1700000000"));

        RunResult result = etl(db, "blank-id", 10).run(RunRequest.of("fake"));

        assertThat(result.status()).as(result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.loaded()).isEqualTo(1);
        assertThat(rejects(db)).containsExactly(
                "invalid_id: id is blank (a source without an id for an asset gives null)",
                "invalid_id: id is blank (a source without an id for an asset gives null)");
        List<String> keys = db.jdbi().withHandle(h -> h.createQuery("SELECT source_key FROM asset_sources")
                .mapTo(String.class).list());
        assertThat(keys).containsExactly("solana");
    }

    @Test
    void aRunOnADatabaseThatWasNeverMigratedSaysToMigrateIt() {
        TestDatabase empty = TestDatabase.createEmpty();

        assertThatThrownBy(() -> etl(empty, "rows", 3).run(RunRequest.of("fake")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the database has no asset-etl schema, or an incomplete one (")
                .hasMessageEndingWith("): migrate it first (AssetEtl.migrate, or the service's db migrate)");
    }

    @Test
    void readingTheLedgerOfADatabaseThatWasNeverMigratedSaysToMigrateIt() {
        AssetEtl etl = etl(TestDatabase.createEmpty(), "rows", 3);

        for (org.assertj.core.api.ThrowableAssert.ThrowingCallable read : List.<
                org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(
                () -> etl.runs(10, Optional.empty(), Optional.empty()), () -> etl.findRun(UUID.randomUUID()),
                () -> etl.checkpoints("fake"), etl::abandonDeadRuns)) {
            assertThatThrownBy(read).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("the database has no asset-etl schema, or an incomplete one (ERROR: "
                            + "relation \"")
                    .hasMessageEndingWith("): migrate it first (AssetEtl.migrate, or the service's db migrate)")
                    .hasMessageNotContaining("\n");
        }
    }

    @Test
    void anAbandonedRunEndsWhenItsLastChunkCommittedNotWhenItIsFoundHoursLater() {
        TestDatabase db = TestDatabase.create();
        Instant start = Instant.parse("2026-03-01T10:00:00Z");
        UUID dead = builder(db, "rows", 3, 6L).clock(Clock.fixed(start, ZoneOffset.UTC)).build()
                .run(RunRequest.of("fake")).runId();
        assertThat(lastChunkAt(db, dead)).as("written by each chunk, from the engine's clock").isEqualTo(start);
        // its process committed its last chunk 40 s after the start, then died without finishing the run
        db.jdbi().useHandle(h -> h.createUpdate("""
                UPDATE etl_runs SET status = 'running', finished_at = NULL, duration_ms = NULL, error = NULL,
                    last_chunk_at = :last""").bind("last", start.plusSeconds(40).atOffset(ZoneOffset.UTC)).execute());

        builder(db, "rows", 3, null).clock(Clock.fixed(start.plusSeconds(3 * 3600), ZoneOffset.UTC)).build()
                .run(RunRequest.of("fake"));

        RunRecord abandoned = etl(db, "rows", 3).findRun(dead).orElseThrow();
        assertThat(abandoned.status()).isEqualTo(RunStatus.ABANDONED);
        assertThat(abandoned.finishedAt()).isEqualTo(start.plusSeconds(40));
        assertThat(abandoned.durationMs()).isEqualTo(40_000L);
    }

    @Test
    void anAbandonedRunThatCommittedNoChunkEndsAtItsStart() {
        TestDatabase db = TestDatabase.create();
        Instant start = Instant.parse("2026-03-01T10:00:00Z");
        UUID dead = builder(db, "rows", 3, 0L).clock(Clock.fixed(start, ZoneOffset.UTC)).build()
                .run(RunRequest.of("fake")).runId();
        assertThat(lastChunkAt(db, dead)).isNull();
        db.jdbi().useHandle(h -> h.execute(
                "UPDATE etl_runs SET status = 'running', finished_at = NULL, duration_ms = NULL, error = NULL"));

        builder(db, "rows", 3, null).clock(Clock.fixed(start.plusSeconds(3 * 3600), ZoneOffset.UTC)).build()
                .run(RunRequest.of("fake"));

        RunRecord abandoned = etl(db, "rows", 3).findRun(dead).orElseThrow();
        assertThat(abandoned.status()).isEqualTo(RunStatus.ABANDONED);
        assertThat(abandoned.finishedAt()).isEqualTo(start);
        assertThat(abandoned.durationMs()).isZero();
    }

    private static Instant lastChunkAt(TestDatabase db, UUID run) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT last_chunk_at FROM etl_runs WHERE run_id = :run")
                .bind("run", run).mapTo(Instant.class).one());
    }

    @Test
    void aRunResumesFromAFailedRunsCheckpointOnlyUntilARunOfTheSourceSucceeds() {
        TestDatabase db = TestDatabase.create();
        // a run that committed every chunk and then failed: its checkpoint is the source's last
        RunResult first = etl(db, "rows", 20).run(RunRequest.of("fake"));
        db.jdbi().useHandle(h -> h.execute("UPDATE etl_runs SET status = 'failed', error = 'failed at its end'"));

        RunResult resumed = etl(db, "rows", 20).run(RunRequest.of("fake"));
        RunResult after = etl(db, "rows", 20).run(RunRequest.of("fake"));

        AssetEtl reader = etl(db, "rows", 20);
        assertThat(resumed.processed()).as("nothing left to read").isZero();
        assertThat(reader.findRun(resumed.runId()).orElseThrow().resumedFrom()).isEqualTo(first.runId());
        assertThat(reader.findRun(after.runId()).orElseThrow().resumedFrom())
                .as("the run after a success resumes nothing, though it starts from the same checkpoint").isNull();
    }

    @Test
    void aRunLeftRunningByADeadProcessIsMarkedAbandonedAndTheNextRunResumesFromItsCheckpoint() {
        TestDatabase db = TestDatabase.create();
        // a process wrote two chunks, then died without finishing its run
        RunResult partial = etl(db, "rows", 3, 6L).run(RunRequest.of("fake"));
        UUID dead = partial.runId();
        db.jdbi().useHandle(h -> h.execute(
                "UPDATE etl_runs SET status = 'running', finished_at = NULL, duration_ms = NULL, error = NULL"));

        RunResult next = etl(db, "rows", 3).run(RunRequest.of("fake"));

        AssetEtl reader = etl(db, "rows", 3);
        RunRecord abandoned = reader.findRun(dead).orElseThrow();
        assertThat(abandoned.status()).isEqualTo(RunStatus.ABANDONED);
        assertThat(abandoned.finishedAt()).isNotNull();
        assertThat(next.processed()).isEqualTo(14);
        assertThat(reader.findRun(next.runId()).orElseThrow().resumedFrom()).isEqualTo(dead);
        assertThat(reader.runs(10, Optional.of("fake"), Optional.of(RunStatus.RUNNING))).isEmpty();
        assertThat(db.count("asset_quotes")).isEqualTo(18);
    }

    @Test
    void theLockIsGivenBackEvenWhenTheConnectionGoesBackToAPool() throws Exception {
        TestDatabase db = TestDatabase.create();
        java.sql.Connection physical = db.dataSource().getConnection();
        // a one-connection "pool": closing a borrowed connection keeps the session (and any lock it holds) alive
        javax.sql.DataSource pool = new PooledOnce(physical);
        AssetEtl etl = AssetEtl.builder().dataSource(pool).discoverFactories(false).factory(new ListSourceFactory())
                .source(SourceDefinition.of("fake", "list", SourceConfig.of(Map.of("dataset", "rows"))))
                .build();

        etl.run(RunRequest.of("fake"));

        Long held = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'").mapTo(Long.class).one());
        assertThat(held).isZero();
        AssetEtl other = etl(db, "rows", 3);
        assertThat(other.run(RunRequest.of("fake")).succeeded()).as("another process may run it now").isTrue();
        physical.close();
    }

    /** Hands out the same physical connection each time and ignores close(), as a pool does. */
    private static final class PooledOnce extends org.postgresql.ds.PGSimpleDataSource {
        private final java.sql.Connection connection;

        PooledOnce(java.sql.Connection connection) {
            this.connection = connection;
        }

        @Override
        public java.sql.Connection getConnection() {
            return (java.sql.Connection) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {java.sql.Connection.class}, (proxy, method, args) -> {
                        if (method.getName().equals("close") || method.getName().equals("isClosed")) {
                            return method.getName().equals("isClosed") ? false : null;
                        }
                        if (method.getName().equals("unwrap") || method.getName().equals("isWrapperFor")) {
                            return method.invoke(connection, args);
                        }
                        try {
                            return method.invoke(connection, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }

    @Test
    void anUnknownSourceIsRefusedBeforeAnythingIsWritten() {
        TestDatabase db = TestDatabase.create();
        assertThatThrownBy(() -> etl(db, "rows", 3).run(RunRequest.of("nope")))
                .isInstanceOf(UnknownSourceException.class).hasMessageContaining("fake");
        assertThat(db.count("etl_runs")).isZero();
    }

    @Test
    void reprocessRebuildsTheCanonicalRowsFromRawRecordsAlone() {
        TestDatabase db = TestDatabase.create();
        AssetEtl etl = etl(db, "rows", 3);
        etl.run(RunRequest.of("fake"));
        Map<String, String> expected = TableDigests.canonical(db);
        db.jdbi().useHandle(h -> {
            h.execute("UPDATE asset_sources SET price_usd = 1");
            h.execute("DELETE FROM asset_quotes WHERE price_usd > 110");
        });
        ListSourceFactory.dataset("rows-gone", List.of());

        RunResult reprocessed = etl.reprocess("fake");

        assertThat(reprocessed.succeeded()).isTrue();
        assertThat(reprocessed.processed()).isEqualTo(20);
        assertThat(reprocessed.rejected()).isEqualTo(2);
        assertThat(reprocessed.loaded()).as("the 8 quotes deleted, the latest records of all 5 prices changed among"
                + " them").isEqualTo(8);
        assertThat(reprocessed.unchanged()).isEqualTo(10);
        assertThat(TableDigests.canonical(db)).isEqualTo(expected);
        assertThat(etl.findRun(reprocessed.runId()).orElseThrow().kind()).isEqualTo("reprocess");
    }

    @Test
    void reprocessOfAnUnchangedSourceLoadsNothingWritesNoQuoteAndLeavesEveryRowWithItsRunId() {
        TestDatabase db = TestDatabase.create();
        AssetEtl etl = etl(db, "rows", 3);
        RunResult ingested = etl.run(RunRequest.of("fake"));
        String quotes = quoteVersions(db);
        String rows = TableDigests.canonicalRowsWhole(db);

        RunResult reprocessed = etl.reprocess("fake");

        assertThat(reprocessed.succeeded()).as(reprocessed.errorMessage().orElse("")).isTrue();
        assertThat(List.of(reprocessed.processed(), reprocessed.loaded(), reprocessed.unchanged(),
                reprocessed.rejected())).containsExactly(20L, 0L, 18L, 2L);
        RunRecord ledger = etl.findRun(reprocessed.runId()).orElseThrow();
        assertThat(List.of(ledger.recordsProcessed(), ledger.recordsLoaded(), ledger.recordsUnchanged(),
                ledger.recordsRejected())).containsExactly(20L, 0L, 18L, 2L);
        assertThat(TableDigests.canonicalRowsWhole(db)).as("every row as it was, run id and update time included")
                .isEqualTo(rows);
        assertThat(quoteVersions(db)).as("no price history row written").isEqualTo(quotes);
        assertThat(runIds(db, "asset_quotes")).containsOnly(ingested.runId());
        assertThat(runIds(db, "asset_sources")).containsOnly(ingested.runId());
    }

    @Test
    void reprocessRestoresRowsChangedByHandLoadingOnlyThoseAndGivingOnlyThemItsRunId() {
        TestDatabase db = TestDatabase.create();
        AssetEtl etl = etl(db, "rows", 3);
        RunResult ingested = etl.run(RunRequest.of("fake"));
        Map<String, String> expected = TableDigests.canonical(db);
        db.jdbi().useHandle(h -> {
            // SOL's first quote, ada's first quote and DOGE's latest value; none is another's latest record
            h.execute("""
                    UPDATE asset_quotes SET price_usd = 1 WHERE observed_at = to_timestamp(1700000120)""");
            h.execute("DELETE FROM asset_quotes WHERE observed_at = to_timestamp(1700000180)");
            h.execute("""
                    UPDATE asset_sources SET price_usd = 1
                    WHERE asset_id = (SELECT id FROM assets WHERE canonical_symbol = 'DOGE')""");
            // a quote no raw record gives
            h.execute("""
                    INSERT INTO asset_quotes (asset_id, source, observed_at, price_usd, run_id)
                    SELECT id, 'fake', to_timestamp(1600000000), 5, run_id FROM assets, etl_runs
                    WHERE canonical_symbol = 'BTC'""");
        });

        RunResult reprocessed = etl.reprocess("fake");

        assertThat(reprocessed.succeeded()).as(reprocessed.errorMessage().orElse("")).isTrue();
        assertThat(List.of(reprocessed.processed(), reprocessed.loaded(), reprocessed.unchanged(),
                reprocessed.rejected())).containsExactly(20L, 3L, 15L, 2L);
        assertThat(TableDigests.canonical(db)).isEqualTo(expected);
        List<String> rebuilt = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT 'quote ' || a.canonical_symbol || ' ' || extract(epoch FROM q.observed_at)::bigint
                FROM asset_quotes q JOIN assets a ON a.id = q.asset_id WHERE q.run_id = :run
                UNION ALL
                SELECT 'latest ' || a.canonical_symbol
                FROM asset_sources s JOIN assets a ON a.id = s.asset_id WHERE s.run_id = :run
                ORDER BY 1""").bind("run", reprocessed.runId()).mapTo(String.class).list());
        assertThat(rebuilt).containsExactly("latest DOGE", "quote ADA 1700000180", "quote SOL 1700000120");
        assertThat(runIds(db, "asset_quotes")).containsOnly(ingested.runId(), reprocessed.runId());
    }

    @Test
    void reprocessOfMoreRecordsThanOneReplayPageGivesTheSameTablesAndRejectsEachBadRecordOnce() {
        // 12,000 records (three replay pages), the last 1,000 giving new prices for the first 1,000's instants
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 12_000; i++) {
            int slot = i < 11_000 ? i : i - 11_000;
            String price = i % 997 == 0 ? "-1" : Integer.toString(100 + i);
            rows.add("S" + slot % 50 + ",," + price + "," + (1_700_000_000L + slot / 50 * 60L));
        }
        ListSourceFactory.dataset("many", rows);
        TestDatabase db = TestDatabase.create();
        AssetEtl etl = etl(db, "many", 5000);
        RunResult ingested = etl.run(RunRequest.of("fake"));
        Map<String, String> expected = TableDigests.canonical(db);

        RunResult reprocessed = etl.reprocess("fake");

        assertThat(reprocessed.succeeded()).as(reprocessed.errorMessage().orElse("")).isTrue();
        assertThat(reprocessed.processed()).isEqualTo(12_000);
        assertThat(reprocessed.rejected()).isEqualTo(ingested.rejected()).isEqualTo(13);
        long stored = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM etl_rejects WHERE run_id = :run")
                .bind("run", reprocessed.runId()).mapTo(Long.class).one());
        assertThat(stored).isEqualTo(13);
        assertThat(TableDigests.canonical(db)).isEqualTo(expected);
        assertThat(reprocessed.loaded()).as("the 1,000 records a later page replaces too").isZero();
        assertThat(reprocessed.unchanged()).isEqualTo(12_000 - 13);
        assertThat(runIds(db, "asset_quotes")).containsOnly(ingested.runId());
        assertThat(runIds(db, "asset_sources")).containsOnly(ingested.runId());
    }

    @Test
    void reprocessCountsARecordThatALaterReplayPageReplacesWithTheRowItGaveUpTo() {
        // 50,000 records fill the first replay page; the next 10 give the first 10's rows other prices
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 50_010; i++) {
            int slot = i < 50_000 ? i : i - 50_000;
            rows.add("S" + slot % 100 + ",," + (i < 50_000 ? 100 + i % 7 : 999) + "," + (1_700_000_000L
                    + slot / 100 * 60L));
        }
        ListSourceFactory.dataset("two-pages", rows);
        TestDatabase db = TestDatabase.create();
        AssetEtl etl = etl(db, "two-pages", 10_000);
        RunResult ingested = etl.run(RunRequest.of("fake"));
        Map<String, String> expected = TableDigests.canonical(db);

        RunResult unchanged = etl.reprocess("fake");

        assertThat(unchanged.succeeded()).as(unchanged.errorMessage().orElse("")).isTrue();
        assertThat(List.of(unchanged.processed(), unchanged.loaded(), unchanged.unchanged()))
                .containsExactly(50_010L, 0L, 50_010L);
        assertThat(runIds(db, "asset_quotes")).containsOnly(ingested.runId());
        db.jdbi().useHandle(h -> h.execute("UPDATE asset_quotes SET price_usd = 5 WHERE price_usd = 999"
                + " AND asset_id = (SELECT id FROM assets WHERE canonical_symbol = 'S0')"));

        RunResult restored = etl.reprocess("fake");

        assertThat(List.of(restored.processed(), restored.loaded(), restored.unchanged()))
                .as("the record that gives S0's first row; the one the second page replaces changed nothing")
                .containsExactly(50_010L, 1L, 50_009L);
        assertThat(TableDigests.canonical(db)).isEqualTo(expected);
        long given = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM asset_quotes WHERE run_id = :run")
                .bind("run", restored.runId()).mapTo(Long.class).one());
        assertThat(given).isEqualTo(1);
    }

    @Test
    void reprocessReplaysARecordSentAgainUnchangedWhereItWasLastReadNotWhereItWasFirstStored() {
        // one asset and time, given 100 by the record v1:0, then 200 by v2:0, then 100 again by v1:0 sent again
        // unchanged: stored once, and the last reading's values are what the ingests left
        ListSourceFactory.dataset("v1", List.of("BTC,,100,1700000000"));
        ListSourceFactory.dataset("v2", List.of("BTC,,200,1700000000"));
        TestDatabase db = TestDatabase.create();
        AssetEtl etl = etl(db, "v1", 3);
        for (String dataset : List.of("v1", "v2", "v1")) {
            db.jdbi().useHandle(h -> h.execute("DELETE FROM etl_checkpoints"));
            RunResult ingested = etl.run(RunRequest.of("fake").withSetting("dataset", dataset));
            assertThat(ingested.succeeded()).as(ingested.errorMessage().orElse("")).isTrue();
        }
        assertThat(db.count("raw_records")).isEqualTo(2);
        List<Boolean> lastRead = db.jdbi().withHandle(h -> h.createQuery("SELECT price_usd = 100 FROM asset_quotes")
                .mapTo(Boolean.class).list());
        assertThat(lastRead).as("the last reading's price").containsExactly(true);
        Map<String, String> expected = TableDigests.canonical(db);

        RunResult reprocessed = etl.reprocess("fake");

        assertThat(reprocessed.succeeded()).as(reprocessed.errorMessage().orElse("")).isTrue();
        assertThat(TableDigests.canonical(db)).isEqualTo(expected);
        assertThat(List.of(reprocessed.processed(), reprocessed.loaded(), reprocessed.unchanged()))
                .containsExactly(2L, 0L, 2L);
    }

    @Test
    void recordsReadAgainThatChangeNothingLeaveTheirRawRowsAsTheyAre() {
        ListSourceFactory.dataset("same", List.of("BTC,,100,1700000000", "ETH,,5,1700000000", "SOL,,7,1700000000"));
        TestDatabase db = TestDatabase.create();
        AssetEtl etl = etl(db, "same", 2);
        assertThat(etl.run(RunRequest.of("fake")).loaded()).isEqualTo(3);
        String stored = db.digest("SELECT record_key, last_read, xmin::text FROM raw_records ORDER BY record_key");
        db.jdbi().useHandle(h -> h.execute("DELETE FROM etl_checkpoints"));

        RunResult again = etl.run(RunRequest.of("fake"));

        assertThat(List.of(again.processed(), again.loaded(), again.unchanged())).containsExactly(3L, 0L, 3L);
        assertThat(db.digest("SELECT record_key, last_read, xmin::text FROM raw_records ORDER BY record_key"))
                .as("no raw row written again").isEqualTo(stored);
    }

    @Test
    void aProgressCallbackThatThrowsNeitherFailsTheRunNorStopsItsChunks() {
        TestDatabase db = TestDatabase.create();
        AssetEtl etl = etl(db, "rows", 3);
        List<Long> told = new ArrayList<>();
        RunProgress broken = (run, source, processed, elapsedMs) -> {
            told.add(processed);
            throw new IllegalStateException("terminal gone");
        };

        RunResult ingested = etl.run(RunRequest.of("fake"), broken);

        assertThat(ingested.succeeded()).as(ingested.errorMessage().orElse("")).isTrue();
        assertThat(ingested.processed()).isEqualTo(20);
        assertThat(told).containsExactly(3L, 6L, 9L, 12L, 15L, 18L, 20L);

        told.clear();
        RunResult reprocessed = etl.reprocess("fake", broken);

        assertThat(reprocessed.succeeded()).as(reprocessed.errorMessage().orElse("")).isTrue();
        assertThat(reprocessed.processed()).isEqualTo(20);
        assertThat(told).containsExactly(20L);
        List<String> statuses = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT status FROM etl_runs ORDER BY started_at").mapTo(String.class).list());
        assertThat(statuses).containsExactly("succeeded", "succeeded");
    }

    @Test
    void anIngestOfAnotherSourceOfTheSameAssetsIsNotHeldBackByAReprocessInProgress() {
        ListSourceFactory.dataset("other-rows", List.of("BTC,,150,1700000030", "ETH,,151,1700000030"));
        TestDatabase db = TestDatabase.create();
        AssetEtl etl = etl(db, "rows", 3);
        etl.run(RunRequest.of("fake"));
        // the other source's connections give up on a lock after 5 s rather than wait for the reprocess, which
        // waits for them: its one page is written when the other source runs
        PGSimpleDataSource impatient = new PGSimpleDataSource();
        impatient.setURL(db.jdbcUrl());
        impatient.setUser(db.user());
        impatient.setOptions("-c lock_timeout=5000");
        List<RunResult> during = new ArrayList<>();
        RunResult reprocessed;
        try (AssetEtl other = AssetEtl.builder().dataSource(impatient).discoverFactories(false)
                .factory(new ListSourceFactory())
                .source(SourceDefinition.of("other", "list", SourceConfig.of(Map.of("dataset", "other-rows"))))
                .build()) {
            reprocessed = etl.reprocess("fake",
                    (run, source, processed, elapsedMs) -> during.add(other.run(RunRequest.of("other"))));
        }

        assertThat(reprocessed.succeeded()).as(reprocessed.errorMessage().orElse("")).isTrue();
        assertThat(during).hasSize(1);
        assertThat(during.get(0).succeeded()).as(during.get(0).errorMessage().orElse("")).isTrue();
        List<String> summaries = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT canonical_symbol || ' ' || array_to_string(sources, ',') FROM asset_summaries
                WHERE canonical_symbol IN ('BTC', 'ETH') ORDER BY 1""").mapTo(String.class).list());
        assertThat(summaries).containsExactly("BTC fake,other", "ETH fake,other");
    }

    @Test
    void reprocessCountsItsRecordsInTheMetricsByOutcomeAsAnIngestDoes() {
        Map<String, Long> counted = new java.util.concurrent.ConcurrentHashMap<>();
        EtlMetrics recording = new EtlMetrics() {
            @Override
            public void count(String name, Map<String, String> labels, long amount) {
                if (name.equals("etl_records")) {
                    counted.merge(labels.get("outcome"), amount, Long::sum);
                }
            }

            @Override
            public void time(String name, Map<String, String> labels, java.time.Duration duration) {
            }
        };
        TestDatabase db = TestDatabase.create();
        AssetEtl etl = builder(db, "rows", 3, null).metrics(recording).build();
        etl.run(RunRequest.of("fake"));
        counted.clear();

        etl.reprocess("fake");

        assertThat(counted).containsExactlyInAnyOrderEntriesOf(Map.of("unchanged", 18L, "rejected", 2L));
    }

    @Test
    void migratingTwiceIsHarmless() {
        TestDatabase db = TestDatabase.create();
        AssetEtl.migrate(db.dataSource());
        assertThat(db.count("assets")).isZero();
    }

    /** Each price history row's key and row version: equal when no row was written. */
    private static String quoteVersions(TestDatabase db) {
        return db.digest("SELECT asset_id, source, observed_at, xmin::text FROM asset_quotes"
                + " ORDER BY asset_id, source, observed_at");
    }

    private static List<UUID> runIds(TestDatabase db, String table) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT DISTINCT run_id FROM " + table)
                .mapTo(UUID.class).list());
    }

    private static String rowVersions(TestDatabase db) {
        return db.jdbi().withHandle((Handle h) -> h.createQuery("""
                SELECT string_agg(t, ',' ORDER BY t) FROM (
                  SELECT 'a' || id || ':' || xmin::text AS t FROM assets
                  UNION ALL SELECT 's' || id || ':' || xmin::text FROM asset_sources
                  UNION ALL SELECT 'q' || asset_id || observed_at || ':' || xmin::text FROM asset_quotes) x""")
                .mapTo(String.class).one());
    }
}
