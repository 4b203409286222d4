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
}
