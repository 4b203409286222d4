package io.assetetl.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetetl.AssetEtl;
import io.assetetl.run.RunRequest;
import io.assetetl.run.RunResult;
import io.assetetl.run.RunStatus;
import io.assetetl.run.SourceDefinition;
import io.assetetl.spi.SourceConfig;
import io.assetetl.testing.ListSourceFactory;
import io.assetetl.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RunQueriesIT {

    private static AssetEtl.Builder etl(TestDatabase db) {
        return AssetEtl.builder().dataSource(db.dataSource()).discoverFactories(false)
                .factory(new ListSourceFactory())
                .source(SourceDefinition.of("fake", "list", SourceConfig.of(Map.of(
                        "dataset", "activity", "batch_size", "1"))));
    }

    @Test
    void aReprocessAfterAFailedIngestLeavesTheSourcesCountsLastRunSuccessAndFailureThoseOfItsIngests() {
        ListSourceFactory.dataset("activity", List.of("BTC,,100,1700000000", "ETH,,200,1700000060"));
        TestDatabase db = TestDatabase.create();
        RunResult ingested = etl(db).failAfterRecords(1).build().run(RunRequest.of("fake"));
        RunResult reprocessed = etl(db).build().reprocess("fake");

        List<SourceActivity> activity = new RunQueries(db.jdbi()).activity();

        assertThat(ingested.status()).isEqualTo(RunStatus.FAILED);
        assertThat(reprocessed.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(activity).singleElement().satisfies(a -> {
            assertThat(a.runs()).as("ingest runs").isEqualTo(1);
            assertThat(a.totalProcessed()).as("records fetched").isEqualTo(1);
            assertThat(a.lastRun().runId()).isEqualTo(ingested.runId());
            assertThat(a.lastSuccessAt()).as("a reprocess fetched nothing").isNull();
            assertThat(a.lastFailureAt()).isNotNull();
        });
    }

    @Test
    void sourceNamesAreThoseOfTheRunLedgerAndOfTheLatestValuesSorted() {
        ListSourceFactory.dataset("names", List.of("BTC,,100,1700000000"));
        TestDatabase db = TestDatabase.create();
        RunQueries runs = new RunQueries(db.jdbi());
        assertThat(runs.sourceNames()).isEmpty();

        AssetEtl.builder().dataSource(db.dataSource()).discoverFactories(false).factory(new ListSourceFactory())
                .source(SourceDefinition.of("fake", "list", SourceConfig.of(Map.of("dataset", "names"))))
                .build().run(RunRequest.of("fake"));
        db.jdbi().useHandle(h -> {
            // a source whose runs are all that is left of it, and one whose runs were pruned but not its values
            h.execute("""
                    INSERT INTO etl_runs (run_id, source, status, started_at, finished_at, duration_ms, error)
                    VALUES (?, 'retired', 'failed', now(), now(), 1, 'gone')""", UUID.randomUUID());
            h.execute("""
                    INSERT INTO asset_sources (asset_id, source, source_key, source_symbol, price_usd, observed_at,
                                               raw, run_id)
                    SELECT id, 'pruned', 'btc', 'BTC', 1, now(), '{}', ? FROM assets""", UUID.randomUUID());
        });

        assertThat(runs.sourceNames()).containsExactly("fake", "pruned", "retired");
    }

    @Test
    void sourceNamesWalkTheSourceIndexesRatherThanReadEveryRunOrRecord() {
        TestDatabase db = TestDatabase.create();
        String plan = db.jdbi().withHandle(h -> {
            h.execute("""
                    INSERT INTO etl_runs (run_id, source, status, started_at)
                    SELECT gen_random_uuid(), 'source_' || (g % 3), 'abandoned', now() - g * interval '1 minute'
                    FROM generate_series(1, 20000) g""");
            h.execute("INSERT INTO assets (canonical_symbol) SELECT 'S' || g FROM generate_series(1, 5000) g");
            h.execute("""
                    INSERT INTO asset_sources (asset_id, source, source_key, source_symbol, price_usd, observed_at,
                                               raw, run_id)
                    SELECT id, 'source_' || (id % 3), canonical_symbol, canonical_symbol, 1, now(), '{}',
                           gen_random_uuid()
                    FROM assets""");
            h.execute("ANALYZE etl_runs");
            h.execute("ANALYZE asset_sources");
            return String.join("\n", h.createQuery("EXPLAIN " + RunQueries.SOURCE_NAMES).mapTo(String.class)
                    .list());
        });

        assertThat(new RunQueries(db.jdbi()).sourceNames()).containsExactly("source_0", "source_1", "source_2");
        assertThat(plan).as(plan).doesNotContain("Seq Scan").contains("etl_runs_source_started");
    }

    @Test
    void theLastRunsOfEachSourceAreFoundThroughTheLedgersIndexesNotBySortingEveryRunEverMade() {
        TestDatabase db = TestDatabase.create();
        String plan = db.jdbi().withHandle(h -> {
            // a year and more of runs (GET /health read and sorted them all at every call: 0.9 s at 164,000 runs,
            // spilling the sort to disk, in a soak's database); now and then one failed or was abandoned, and a
            // source was reprocessed after its last ingest
            h.execute("""
                    INSERT INTO etl_runs (run_id, source, kind, status, started_at, finished_at, duration_ms,
                                          records_processed, records_loaded, error)
                    SELECT gen_random_uuid(), 'source_' || (g % 3), 'ingest',
                           CASE WHEN g % 97 = 0 THEN 'failed' WHEN g % 89 = 0 THEN 'abandoned' ELSE 'succeeded' END,
                           now() - g * interval '1 minute', now() - g * interval '1 minute' + interval '5 seconds',
                           5000, g, g, CASE WHEN g % 97 = 0 THEN 'upstream down' END
                    FROM generate_series(10, 20000) g""");
            h.execute("""
                    INSERT INTO etl_runs (run_id, source, kind, status, started_at, finished_at, duration_ms)
                    VALUES (gen_random_uuid(), 'source_1', 'reprocess', 'succeeded', now(), now(), 1)""");
            h.execute("""
                    INSERT INTO etl_runs (run_id, source, kind, status, started_at, finished_at, duration_ms)
                    VALUES (gen_random_uuid(), 'reprocessed_only', 'reprocess', 'failed', now(), now(), 1)""");
            h.execute("ANALYZE etl_runs");
            return String.join("\n", h.createQuery("EXPLAIN " + RunQueries.LAST_RUNS).mapTo(String.class).list());
        });
        RunQueries runs = new RunQueries(db.jdbi());

        assertThat(plan).as(plan).doesNotContain("Seq Scan");
        assertThat(runs.lastRuns()).as("what activity() says of them, but the totals")
                .extracting(l -> List.of(l.source(), l.lastRun(), String.valueOf(l.lastRunMetadata()),
                        String.valueOf(l.lastSuccessAt()), String.valueOf(l.lastFailureAt())))
                .containsExactlyElementsOf(runs.activity().stream()
                        .map(a -> List.of(a.source(), a.lastRun(), String.valueOf(a.lastRunMetadata()),
                                String.valueOf(a.lastSuccessAt()), String.valueOf(a.lastFailureAt())))
                        .toList())
                .hasSize(4);
    }

    @Test
    void eachSourcesTotalsAreKeptAsItsRunsAreWrittenRatherThanCountedOverEveryRunAtEachCall() {
        TestDatabase db = TestDatabase.create();
        RunQueries runs = new RunQueries(db.jdbi());
        String plan = db.jdbi().withHandle(h -> {
            // a year and more of runs of three sources, and a reprocess, which fetches nothing and is not counted
            h.execute("""
                    INSERT INTO etl_runs (run_id, source, kind, status, started_at, finished_at, duration_ms,
                                          records_processed, records_loaded)
                    SELECT gen_random_uuid(), 'source_' || (g % 3), 'ingest', 'succeeded',
                           now() - g * interval '1 minute', now() - g * interval '1 minute' + interval '5 seconds',
                           5000, g, g
                    FROM generate_series(1, 20000) g""");
            h.execute("""
                    INSERT INTO etl_runs (run_id, source, kind, status, started_at, records_processed)
                    VALUES (gen_random_uuid(), 'source_1', 'reprocess', 'running', now(), 0)""");
            // a run's chunks counting their records, the oldest runs of a source pruned, and a source renamed
            h.execute("""
                    UPDATE etl_runs SET records_processed = records_processed + 250,
                                        records_loaded = records_loaded + 250
                    WHERE source = 'source_1' AND started_at > now() - interval '30 minutes'""");
            h.execute("UPDATE etl_runs SET records_processed = records_processed + 1 WHERE kind = 'reprocess'");
            h.execute("""
                    DELETE FROM etl_runs WHERE source = 'source_2' AND started_at < now() - interval '9000 minutes'""");
            h.execute("UPDATE etl_runs SET source = 'source_3' WHERE source = 'source_0' AND records_processed < 600");
            h.execute("ANALYZE etl_runs");
            return String.join("\n", h.createQuery("EXPLAIN " + RunQueries.ACTIVITY).mapTo(String.class).list());
        });
        List<List<Long>> counted = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT count(*) FILTER (WHERE kind = 'ingest') AS runs,
                       coalesce(sum(records_processed) FILTER (WHERE kind = 'ingest'), 0) AS processed
                FROM etl_runs GROUP BY source ORDER BY source""")
                .map((rs, ctx) -> List.of(rs.getLong("runs"), rs.getLong("processed"))).list());

        assertThat(plan).as(plan).doesNotContain("Seq Scan on etl_runs");
        assertThat(runs.activity()).extracting(a -> List.of(a.runs(), a.totalProcessed()))
                .containsExactlyElementsOf(counted)
                .hasSize(4);

        // a totals row deleted by hand is not counted below zero by the runs deleted after it
        db.jdbi().useHandle(h -> h.execute("DELETE FROM etl_source_totals WHERE source = 'source_2'"));
        db.jdbi().useHandle(h -> h.execute(
                "DELETE FROM etl_runs WHERE source = 'source_2' AND records_processed < 3000"));
        assertThat(runs.activity()).filteredOn(a -> a.source().equals("source_2"))
                .extracting(a -> List.of(a.runs(), a.totalProcessed())).containsExactly(List.of(0L, 0L));

        db.jdbi().useHandle(h -> h.execute("TRUNCATE etl_runs"));
        db.jdbi().useHandle(h -> h.execute("""
                INSERT INTO etl_runs (run_id, source, status, started_at, records_processed)
                VALUES (gen_random_uuid(), 'source_0', 'running', now(), 3)"""));
        assertThat(runs.activity()).extracting(a -> List.of(a.source(), a.runs(), a.totalProcessed()))
                .containsExactly(List.of("source_0", 1L, 3L));
    }
}
