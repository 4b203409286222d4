package io.assetetl.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetetl.AssetEtl;
import io.assetetl.run.RunRequest;
import io.assetetl.run.SourceDefinition;
import io.assetetl.spi.SourceConfig;
import io.assetetl.testing.ListSourceFactory;
import io.assetetl.testing.TableDigests;
import io.assetetl.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

class AssetSummariesIT {

    private static AssetEtl etl(TestDatabase db) {
        return AssetEtl.builder().dataSource(db.dataSource()).discoverFactories(false)
                .factory(new ListSourceFactory())
                .source(SourceDefinition.of("one", "list", SourceConfig.of(Map.of("dataset", "sum-one"))))
                .source(SourceDefinition.of("two", "list", SourceConfig.of(Map.of("dataset", "sum-two"))))
                .source(SourceDefinition.of("three", "list", SourceConfig.of(Map.of("dataset", "sum-three"))))
                .build();
    }

    private static Map<String, Object> summary(TestDatabase db, String symbol) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT consensus_price_usd::float8 AS consensus, source_count, array_to_string(sources, ',') AS sources,
                       latest->0->>'observed_at' AS first_observed
                FROM asset_summaries WHERE canonical_symbol = :s""").bind("s", symbol).mapToMap().one());
    }

    @Test
    void summariesFollowEverySourcesLatestPriceAndTheirMedian() {
        TestDatabase db = TestDatabase.create();
        ListSourceFactory.dataset("sum-one", List.of("BTC,,100,1700000000", "BTC,,110,1700000060", "ETH,,10,1700000000"));
        ListSourceFactory.dataset("sum-two", List.of("BTC,,120,1700000000"));
        ListSourceFactory.dataset("sum-three", List.of("BTC,,200,1700000000", "SOL,,0,1700000000"));
        AssetEtl etl = etl(db);

        etl.run(RunRequest.of("one"));
        assertThat(summary(db, "BTC")).containsEntry("consensus", 110.0).containsEntry("source_count", 1);
        etl.run(RunRequest.of("two"));
        assertThat(summary(db, "BTC")).containsEntry("consensus", 115.0).containsEntry("sources", "one,two");
        etl.run(RunRequest.of("three"));

        assertThat(summary(db, "BTC")).containsEntry("consensus", 120.0).containsEntry("source_count", 3)
                .containsEntry("sources", "one,three,two")
                .containsEntry("first_observed", "2023-11-14T22:14:20.000000Z");
        assertThat(summary(db, "ETH")).containsEntry("consensus", 10.0);
        assertThat(db.count("asset_summaries")).as("no summary for an asset without a valid price").isEqualTo(2);
    }

    @Test
    void aFailedRunLeavesUpToDateSummariesForTheChunksItCommitted() {
        TestDatabase db = TestDatabase.create();
        ListSourceFactory.dataset("sum-failing", List.of("BTC,,100,1700000000", "ETH,,10,1700000000",
                "BTC,,101,1700000060", "SOL,,5,1700000000", "ETH,,11,1700000060"));
        AssetEtl etl = AssetEtl.builder().dataSource(db.dataSource()).discoverFactories(false)
                .factory(new ListSourceFactory()).failAfterRecords(2)
                .source(SourceDefinition.of("one", "list", SourceConfig.of(Map.of(
                        "dataset", "sum-failing", "batch_size", "2"))))
                .build();

        assertThat(etl.run(RunRequest.of("one")).succeeded()).isFalse();

        assertThat(summary(db, "BTC")).containsEntry("consensus", 100.0).containsEntry("sources", "one");
        assertThat(summary(db, "ETH")).containsEntry("consensus", 10.0);
        assertThat(db.count("asset_summaries")).isEqualTo(2);
        assertThat(db.count("asset_summaries_pending")).isZero();
    }

    @Test
    void summariesADeadProcessLeftBehindAreRefreshedByTheNextRunOfAnySource() {
        TestDatabase db = TestDatabase.create();
        ListSourceFactory.dataset("sum-one", List.of("BTC,,100,1700000000"));
        ListSourceFactory.dataset("sum-two", List.of());
        AssetEtl etl = etl(db);
        etl.run(RunRequest.of("one"));
        // a process committed a chunk that changed BTC's price on source one, then died before its run ended
        db.jdbi().useTransaction(h -> {
            h.execute("UPDATE asset_sources SET price_usd = 150 WHERE source = 'one'");
            h.execute("INSERT INTO asset_summaries_pending SELECT asset_id FROM asset_sources WHERE source = 'one'");
        });
        assertThat(summary(db, "BTC")).containsEntry("consensus", 100.0);

        etl.run(RunRequest.of("two"));

        assertThat(summary(db, "BTC")).containsEntry("consensus", 150.0);
        assertThat(db.count("asset_summaries_pending")).isZero();
    }

    @Test
    void reprocessLeavesTheSameSummaries() {
        TestDatabase db = TestDatabase.create();
        ListSourceFactory.dataset("sum-one", List.of("BTC,,100,1700000000", "ADA,,1,1700000000"));
        ListSourceFactory.dataset("sum-two", List.of("BTC,,300,1700000000"));
        AssetEtl etl = etl(db);
        etl.run(RunRequest.of("one"));
        etl.run(RunRequest.of("two"));
        String before = db.digest("SELECT canonical_symbol, consensus_price_usd, sources FROM asset_summaries"
                + " ORDER BY canonical_symbol");

        etl.reprocess("one");

        assertThat(db.digest("SELECT canonical_symbol, consensus_price_usd, sources FROM asset_summaries"
                + " ORDER BY canonical_symbol")).isEqualTo(before);
    }

    @Test
    void aReprocessThatChangesNoRowLeavesEverySummaryAsItWasAndTellsNoChangeWhileOneThatChangesARowDoes()
            throws Exception {
        TestDatabase db = TestDatabase.create();
        ListSourceFactory.dataset("sum-one", List.of("BTC,,100,1700000000", "ADA,,1,1700000000"));
        ListSourceFactory.dataset("sum-two", List.of("BTC,,300,1700000000"));
        AssetEtl etl = etl(db);
        etl.run(RunRequest.of("one"));
        etl.run(RunRequest.of("two"));
        String before = TableDigests.canonicalRowsWhole(db);
        try (Connection listening = db.dataSource().getConnection(); Statement s = listening.createStatement()) {
            s.execute("LISTEN " + AssetSummaries.CHANGED_CHANNEL);
            PGConnection postgres = listening.unwrap(PGConnection.class);

            etl.reprocess("one");

            assertThat(TableDigests.canonicalRowsWhole(db)).as("summaries with their sources' run ids and update"
                    + " times, as they were").isEqualTo(before);
            db.jdbi().useHandle(h -> h.createQuery("SELECT pg_notify(:c, 'marker')")
                    .bind("c", AssetSummaries.CHANGED_CHANNEL).mapToMap().one());
            assertThat(payloads(postgres)).as("a reprocess that changed nothing told nothing")
                    .containsExactly("marker");

            db.jdbi().useHandle(h -> h.execute("UPDATE asset_sources SET price_usd = 2 WHERE source = 'one'"
                    + " AND asset_id = (SELECT id FROM assets WHERE canonical_symbol = 'ADA')"));
            etl.reprocess("one");

            assertThat(payloads(postgres)).as("the summary of the row it restored").containsExactly("1");
        }
    }

    @Test
    void aTransactionThatChangedSummariesNotifiesOnCommitAndOneThatChangedNoneDoesNot() throws Exception {
        TestDatabase db = TestDatabase.create();
        ListSourceFactory.dataset("sum-one", List.of("BTC,,100,1700000000", "ETH,,10,1700000000"));
        ListSourceFactory.dataset("sum-two", List.of());
        AssetEtl etl = etl(db);
        try (Connection listening = db.dataSource().getConnection(); Statement s = listening.createStatement()) {
            s.execute("LISTEN " + AssetSummaries.CHANGED_CHANNEL);
            PGConnection postgres = listening.unwrap(PGConnection.class);

            etl.run(RunRequest.of("one"));
            assertThat(payloads(postgres)).as("how many summaries the run's last transaction changed")
                    .containsExactly("2");

            etl.run(RunRequest.of("one"));
            etl.run(RunRequest.of("two"));
            db.jdbi().useHandle(h -> h.createQuery("SELECT pg_notify(:c, 'marker')")
                    .bind("c", AssetSummaries.CHANGED_CHANNEL).mapToMap().one());
            assertThat(payloads(postgres)).as("runs that changed nothing told nothing").containsExactly("marker");
        }
    }

    private static List<String> payloads(PGConnection connection) throws SQLException {
        PGNotification[] notifications = connection.getNotifications(30_000);
        return notifications == null ? List.of() : Arrays.stream(notifications).map(PGNotification::getParameter)
                .toList();
    }
}
