package io.assetetl.sources.coingecko;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.assetetl.AssetEtl;
import io.assetetl.model.Checkpoint;
import io.assetetl.run.CheckpointRecord;
import io.assetetl.run.RunRequest;
import io.assetetl.run.RunResult;
import io.assetetl.run.RunStatus;
import io.assetetl.run.SourceDefinition;
import io.assetetl.run.StartedRun;
import io.assetetl.sources.coingecko.FakeCoinGeckoServer.RecordedRequest;
import io.assetetl.sources.coingecko.FakeCoinGeckoServer.Reply;
import io.assetetl.spi.SourceConfig;
import io.assetetl.testing.MutableClock;
import io.assetetl.testing.TableDigests;
import io.assetetl.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The adapter run by the engine into a real PostgreSQL, against the fake CoinGecko server. */
class CoinGeckoEngineIT {

    private static final String TOP_100 = "coingecko/coins_markets_usd_per_page100_2026-04-30.json";
    private static final String TOP_250 =
            "coingecko/coins_markets_usd_per_page250_pcp_1h_24h_1y_precision_full_2025-02-09.json";

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-04-30T02:30:00Z"));
    private final CoinGeckoSourceFactory factory = new CoinGeckoSourceFactory(new RecordingSleeper(), Sleeper.REAL,
            () -> 0.5);
    private final RecordingMetrics metrics = new RecordingMetrics();
    private FakeCoinGeckoServer server;

    @BeforeEach
    void startServer() {
        server = FakeCoinGeckoServer.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private AssetEtl etl(TestDatabase db, String... overrides) {
        return etl(factory, db, overrides);
    }

    /** With {@code factory}: a factory of its own stands for another process, with a rate budget of its own. */
    private AssetEtl etl(CoinGeckoSourceFactory factory, TestDatabase db, String... overrides) {
        Map<String, String> config = new HashMap<>(Map.of("base_url", server.baseUrl(), "per_page", "25",
                "pages", "4", "rate_limit_per_minute", "60000", "max_attempts", "2"));
        for (int i = 0; i < overrides.length; i += 2) {
            config.put(overrides[i], overrides[i + 1]);
        }
        return AssetEtl.builder().dataSource(db.dataSource()).discoverFactories(false).factory(factory)
                .source(SourceDefinition.of("coingecko", "coingecko", SourceConfig.of(config)))
                .clock(clock).metrics(metrics).build();
    }

    /** Runs the source once; a run that blocks fails the test instead of hanging the build. */
    private static RunResult run(AssetEtl etl) {
        return assertTimeoutPreemptively(TIMEOUT, () -> etl.run(RunRequest.of("coingecko")),
                "the run blocked for longer than " + TIMEOUT);
    }

    /** A {@code reprocess} succeeds and leaves the canonical tables exactly as the ingests left them. */
    private static void assertReprocessRebuildsTheCanonicalTables(AssetEtl etl, TestDatabase db) {
        Map<String, String> expected = TableDigests.canonical(db);

        RunResult reprocessed = assertTimeoutPreemptively(TIMEOUT, () -> etl.reprocess("coingecko"));

        assertThat(reprocessed.status()).as("error: %s", reprocessed.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(TableDigests.canonical(db)).isEqualTo(expected);
    }

    private static SnapshotPosition position(CheckpointRecord checkpoint) {
        return SnapshotPosition.parse(Checkpoint.of(checkpoint.position())).orElseThrow();
    }

    private static List<String> strings(TestDatabase db, String sql) {
        return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(String.class).list());
    }

    private static long count(TestDatabase db, String sql) {
        return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    @Test
    void loadsARealTopCoinsPageAndRecordsDuplicateSymbolsAsIdentityConflicts() {
        server.withFixture(TOP_250);
        TestDatabase db = TestDatabase.create();

        RunResult result = run(etl(db, "per_page", "250", "pages", "1"));

        assertThat(result.status()).as("error: %s", result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.processed()).isEqualTo(250);
        // weth x5, wbtc x3, usdt x2, doge x2: the pinned or first id owns the symbol, the 8 others are conflicts
        assertThat(result.rejected()).isEqualTo(8);
        assertThat(result.loaded()).isEqualTo(242);
        assertThat(count(db, "SELECT count(*) FROM etl_rejects WHERE reason = 'identity_conflict'")).isEqualTo(8);
        assertThat(strings(db, """
                SELECT s.source_key || ' ' || s.source_symbol FROM asset_sources s JOIN assets a ON a.id = s.asset_id
                WHERE a.canonical_symbol IN ('BTC', 'ETH', 'USDT', 'WETH') ORDER BY a.canonical_symbol"""))
                .as("each symbol as CoinGecko wrote it").containsExactly("bitcoin btc", "ethereum eth", "tether usdt",
                        "weth weth");
        assertThat(db.count("raw_coingecko")).isEqualTo(250);
        assertThat(count(db, "SELECT count(*) FROM raw_coingecko WHERE record_key LIKE "
                + "'bitcoin@2025-02-09T17:44:04.143Z#%' AND page = 1 AND item_index = 0")).isEqualTo(1);
        assertThat(strings(db, "SELECT kind || ':' || actual FROM schema_drift_events ORDER BY actual"))
                .containsExactly("field_added:price_change_percentage_1h_in_currency",
                        "field_added:price_change_percentage_1y_in_currency",
                        "field_added:price_change_percentage_24h_in_currency");
    }

    @Test
    void coinsWhoseLastUpdatedDidNotChangeCountAsUnchanged() {
        server.withFixture(TOP_100);
        TestDatabase db = TestDatabase.create();
        AssetEtl etl = etl(db);
        run(etl);
        Map<String, String> before = TableDigests.canonical(db);

        RunResult again = run(etl);

        assertThat(again.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(again.processed()).isEqualTo(100);
        assertThat(again.loaded()).isZero();
        assertThat(again.unchanged()).isEqualTo(100);
        assertThat(TableDigests.canonical(db)).isEqualTo(before);
        assertThat(db.count("raw_coingecko")).isEqualTo(100);
        assertThat(server.marketRequests()).extracting(RecordedRequest::page).containsExactly(1, 2, 3, 4, 1, 2, 3, 4);
    }

    @Test
    void aRunThatFailedAtPage3ResumesAtPage3WhenRestartedWithinTheWindow() {
        server.withFixture(TOP_100);
        TestDatabase reference = TestDatabase.create();
        run(etl(reference));
        server.clearRequests();
        server.scriptPage(3, Reply.html(503), Reply.html(503));
        TestDatabase db = TestDatabase.create();
        AssetEtl etl = etl(db);

        RunResult failed = run(etl);
        clock.advance(Duration.ofMinutes(20));
        RunResult resumed = run(etl);

        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.processed()).isEqualTo(50);
        assertThat(failed.error()).isEqualTo("CoinGecko /coins/markets page 3 failed after 2 attempts: CoinGecko "
                + "answered 503 Service Unavailable to /coins/markets: an HTML page");
        assertThat(resumed.status()).as("error: %s", resumed.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(resumed.processed()).isEqualTo(50);
        assertThat(server.marketRequests()).extracting(RecordedRequest::page).containsExactly(1, 2, 3, 3, 3, 4);
        assertThat(TableDigests.of(db)).isEqualTo(TableDigests.of(reference));
        assertThat(etl.checkpoints("coingecko")).singleElement().satisfies(c -> assertThat(position(c))
                .isEqualTo(new SnapshotPosition(Instant.parse("2026-04-30T02:30:00Z"), 5, true, 25)));
    }

    @Test
    void aRunRestartedAfterTheWindowStartsANewSnapshot() {
        server.withFixture(TOP_100);
        server.scriptPage(3, Reply.html(503), Reply.html(503));
        TestDatabase db = TestDatabase.create();
        AssetEtl etl = etl(db);
        run(etl);

        clock.advance(Duration.ofMinutes(31));
        RunResult fresh = run(etl);

        assertThat(fresh.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(fresh.processed()).isEqualTo(100);
        assertThat(fresh.unchanged()).isEqualTo(50);
        assertThat(server.marketRequests()).extracting(RecordedRequest::page)
                .containsExactly(1, 2, 3, 3, 1, 2, 3, 4);
        assertThat(etl.checkpoints("coingecko")).singleElement().satisfies(c -> assertThat(position(c))
                .isEqualTo(new SnapshotPosition(Instant.parse("2026-04-30T03:01:00Z"), 5, true, 25)));
    }

    @Test
    void badItemsAreRejectedWithTheirReasonsAndNeverReachCanonicalTables() {
        server.withFixture("coingecko/coins_markets_bad_items.json", TOP_100);
        TestDatabase db = TestDatabase.create();

        RunResult result = run(etl(db, "per_page", "105", "pages", "1"));

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.rejected()).isEqualTo(5);
        assertThat(strings(db, "SELECT reason || ' ' || position FROM etl_rejects ORDER BY position"))
                .containsExactly("invalid_price page 1 item 0", "invalid_price page 1 item 1",
                        "invalid_price page 1 item 2", "missing_symbol page 1 item 3", "invalid_number page 1 item 4");
        assertThat(count(db, "SELECT count(*) FROM asset_sources WHERE source_key IN ('no-price-coin', "
                + "'zero-price-coin', 'negative-price-coin', 'empty-symbol-coin', 'text-cap-coin')")).isZero();
        assertThat(db.count("raw_coingecko")).isEqualTo(105);
    }

    @Test
    void aPageWhoseItemsAllLackTheirPriceIsStoredAsRejectsAndFailsTheRunAsAnApiChange() throws Exception {
        List<String> items = new java.util.ArrayList<>();
        for (String item : FakeCoinGeckoServer.splitArray(FakeCoinGeckoServer.resource(TOP_100))) {
            com.fasterxml.jackson.databind.node.ObjectNode node =
                    (com.fasterxml.jackson.databind.node.ObjectNode) MarketItems.MAPPER.readTree(item);
            node.set("price", node.remove("current_price")); // renamed upstream
            items.add(MarketItems.MAPPER.writeValueAsString(node));
        }
        server.withItems(items);
        TestDatabase db = TestDatabase.create();

        RunResult result = run(etl(db, "per_page", "25", "pages", "4"));

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).isEqualTo("every item of page 1 of CoinGecko's /coins/markets lacks"
                + " current_price, which this adapter needs: CoinGecko's API changed; the page's 25 items are stored"
                + " as rejects with field_missing drift");
        assertThat(result.processed()).isEqualTo(25);
        assertThat(result.rejected()).isEqualTo(25);
        assertThat(db.count("raw_coingecko")).isEqualTo(25);
        assertThat(strings(db, "SELECT DISTINCT reason FROM etl_rejects")).containsExactly("invalid_price");
        assertThat(strings(db, "SELECT kind || ' ' || expected || ' ' || action FROM schema_drift_events"
                + " WHERE kind = 'field_missing'")).containsExactly("field_missing current_price items_rejected");
        assertThat(server.requests()).as("no page after it").hasSize(1);
    }

    @Test
    void reprocessRebuildsTheCanonicalRowsFromTheRawItemsWithoutCallingCoinGecko() {
        server.withFixture(TOP_250);
        TestDatabase db = TestDatabase.create();
        AssetEtl etl = etl(db, "per_page", "100", "pages", "3");
        run(etl);
        server.clearRequests();

        assertReprocessRebuildsTheCanonicalTables(etl, db);

        assertThat(server.requests()).isEmpty();
    }

    @Test
    void reprocessReplaysEveryValueACoinWasGivenAtOneTimeAsTheIngestsLoadedThem() {
        String coin = """
                {"id":"dup-a","symbol":"dupa","name":"Dup A","current_price":%s,"market_cap":1000,\
                "total_volume":10,"last_updated":"2026-04-30T02:00:00.000Z"}""";
        String other = """
                {"id":"dup-b","symbol":"dupb","name":"Dup B","current_price":3,"market_cap":1000,\
                "total_volume":10,"last_updated":"2026-04-30T02:00:00.000Z"}""";
        TestDatabase db = TestDatabase.create();
        AssetEtl etl = etl(db, "per_page", "3", "pages", "1");
        // a coin listed twice on one page, then a corrected page: one time, three values, the last one wins
        server.withItems(List.of(coin.formatted("1.5"), coin.formatted("1.6"), other));
        run(etl);
        server.withItems(List.of(coin.formatted("1.7"), other));
        run(etl);
        assertThat(strings(db, "SELECT price_usd::text FROM asset_quotes q JOIN assets a ON a.id = q.asset_id"
                + " WHERE a.canonical_symbol = 'DUPA'")).containsExactly("1.7");

        assertReprocessRebuildsTheCanonicalTables(etl, db);
        assertThat(count(db, "SELECT count(*) FROM raw_coingecko WHERE record_key LIKE 'dup-a@%'")).isEqualTo(3);
        assertThat(count(db, "SELECT count(*) FROM raw_coingecko WHERE record_key LIKE 'dup-b@%'"))
                .as("the same item fetched again").isEqualTo(1);
    }

    @Test
    void reprocessReplaysAnItemFetchedAgainUnchangedWhereItWasLastFetched() {
        String coin = """
                {"id":"dup-a","symbol":"dupa","name":"Dup A","current_price":%s,"market_cap":1000,\
                "total_volume":10,"last_updated":"2026-04-30T02:00:00.000Z"}""";
        TestDatabase db = TestDatabase.create();
        AssetEtl etl = etl(db, "per_page", "2", "pages", "1");
        // one coin at one time priced 1.5, then 1.6, then 1.5 again (a cache answering with the earlier item):
        // stored once, the 1.5 is what the last ingest loaded
        for (String price : List.of("1.5", "1.6", "1.5")) {
            server.withItems(List.of(coin.formatted(price)));
            assertThat(run(etl).status()).isEqualTo(RunStatus.SUCCEEDED);
        }
        assertThat(strings(db, "SELECT price_usd::text FROM asset_quotes")).containsExactly("1.5");
        assertReprocessRebuildsTheCanonicalTables(etl, db);

        // on one page, a new 1.7 and then the 1.5 once more: the page's last item is the one loaded
        server.withItems(List.of(coin.formatted("1.7"), coin.formatted("1.5")));
        assertThat(run(etl).status()).isEqualTo(RunStatus.SUCCEEDED);

        assertThat(strings(db, "SELECT price_usd::text FROM asset_quotes")).containsExactly("1.5");
        assertReprocessRebuildsTheCanonicalTables(etl, db);
        assertThat(count(db, "SELECT count(*) FROM raw_coingecko")).isEqualTo(3);
    }

    @Test
    void itemsWithNumbersBeyondWhatPostgresStoresAreRejectedAndKeptAsTextAndTheRunGoesOn() {
        String coin = """
                {"id":"%s","symbol":"%s","name":"Coin","current_price":%s,"market_cap":1000,"total_volume":10,                "circulating_supply":%s,"last_updated":"2026-04-30T02:00:00.000Z"}""";
        String longSupply = "9".repeat(1500);
        TestDatabase db = TestDatabase.create();
        AssetEtl etl = etl(db, "per_page", "4", "pages", "1");
        server.withItems(List.of(coin.formatted("tiny-price", "tnp", "1E-17000", "1"),
                coin.formatted("huge-supply", "hgs", "2", "1E+200000"),
                coin.formatted("long-supply", "lgs", "3", longSupply),
                coin.formatted("fine", "fin", "4", "5")));

        RunResult result = run(etl);

        assertThat(result.status()).as("error: %s", result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.loaded()).as("a 1,500-digit supply is a number PostgreSQL stores").isEqualTo(2);
        assertThat(strings(db, "SELECT reason || ' ' || position FROM etl_rejects ORDER BY position"))
                .containsExactly("invalid_number page 1 item 0", "invalid_number page 1 item 1");
        assertThat(strings(db, "SELECT payload->>'unstorable_item' FROM raw_coingecko"
                + " WHERE jsonb_exists(payload, 'unstorable_item') ORDER BY item_index"))
                .containsExactly(coin.formatted("tiny-price", "tnp", "1E-17000", "1"),
                        coin.formatted("huge-supply", "hgs", "2", "1E+200000"));
        assertThat(strings(db, "SELECT length(payload->>'circulating_supply')::text FROM raw_coingecko"
                + " WHERE record_key LIKE 'long-supply@%'")).containsExactly("1500");

        assertReprocessRebuildsTheCanonicalTables(etl, db);
    }

    @Test
    void aRetryAfterLongerThanMaxWaitHoldsBackTheRunsOfEveryProcessUntilItHasPassed() {
        server.withFixture(TOP_100);
        server.scriptPage(1, Reply.rateLimited("120"));
        TestDatabase db = TestDatabase.create();

        RunResult asked = run(etl(db));
        RunResult otherProcess = run(etl(anotherProcess(), db));

        assertThat(asked.status()).isEqualTo(RunStatus.FAILED);
        assertThat(asked.error()).contains("(Retry-After), longer than max_wait");
        assertThat(otherProcess.status()).isEqualTo(RunStatus.FAILED);
        assertThat(otherProcess.error()).isEqualTo("source coingecko asked for no call before 2026-04-30T02:32:00Z"
                + " (run " + asked.runId() + "): not called, the first run after then tries again");
        assertThat(server.marketRequests()).as("the one answered 429").hasSize(1);

        clock.advance(Duration.ofSeconds(121));
        RunResult after = run(etl(anotherProcess(), db));

        assertThat(after.status()).as("error: %s", after.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(after.loaded()).isEqualTo(100);
    }

    @Test
    void closingTheLibraryCancelsTheCallWaitingForItsAnswerSoTheRunEndsAtOnceAndFreesItsSource() throws Exception {
        TestDatabase db = TestDatabase.create();
        try (RawHttpServer silent = RawHttpServer.silent()) {
            AssetEtl etl = etl(db, "base_url", silent.baseUrl(), "timeout", "PT60S");
            StartedRun started = etl.start(RunRequest.of("coingecko"));
            assertThat(silent.awaitRequest(TIMEOUT)).as("the request reached the server").isTrue();

            // its reader stopped, not given up on after the engine's 10 s wait, nor after the call's 60 s timeout
            assertTimeoutPreemptively(Duration.ofSeconds(5), etl::close, "close waited for the call's answer");

            RunResult result = started.completion().getNow(null);
            assertThat(result).as("ended before close returned").isNotNull();
            assertThat(result.status()).isEqualTo(RunStatus.FAILED);
            assertThat(result.error()).startsWith("interrupted: the process running it was shutting down, or its"
                    + " library was closed (");
            assertThat(silent.awaitHangUp(Duration.ofSeconds(5))).as("the connection was closed").isTrue();
            assertThat(silent.requests()).isEqualTo(1);
            assertThat(metrics.total("upstream_http_requests", Map.of())).as("no status to count").isZero();
            assertThat(metrics.total("upstream_retries", Map.of())).isZero();
        }
        server.withFixture(TOP_100);

        RunResult next = run(etl(db));

        assertThat(next.status()).as("the source is free: error %s", next.error()).isEqualTo(RunStatus.SUCCEEDED);
    }

    private static CoinGeckoSourceFactory anotherProcess() {
        return new CoinGeckoSourceFactory(new RecordingSleeper(), Sleeper.REAL, () -> 0.5);
    }

    @Test
    void countsUpstreamRequestsAndRetriesByStatus() {
        server.withFixture(TOP_100);
        server.scriptPage(2, Reply.rateLimited("1"));

        run(etl(TestDatabase.create()));

        assertThat(metrics.total("upstream_http_requests", Map.of("source", "coingecko", "status", "200")))
                .isEqualTo(4);
        assertThat(metrics.total("upstream_http_requests", Map.of("source", "coingecko", "status", "429")))
                .isEqualTo(1);
        assertThat(metrics.total("upstream_retries", Map.of("source", "coingecko"))).isEqualTo(1);
        assertThat(metrics.samples()).extracting(RecordingMetrics.Sample::name).doesNotContainNull();
        List<String> names = metrics.samples().stream().map(RecordingMetrics.Sample::name).distinct().toList();
        assertThat(names).contains("etl_runs", "etl_records", "upstream_http_requests", "upstream_retries");
    }
}
