package io.assetetl.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetetl.AssetEtl;
import io.assetetl.run.RunRecord;
import io.assetetl.run.RunStatus;
import io.assetetl.run.SourceDefinition;
import io.assetetl.spi.SourceConfig;
import io.assetetl.testing.ListSourceFactory;
import io.assetetl.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EtlSchedulerIT {

    private final TestDatabase db = TestDatabase.create();

    private AssetEtl etl() {
        return AssetEtl.builder().dataSource(db.dataSource())
                .source(SourceDefinition.of("csv", "csv", SourceConfig.of(Map.of("path", TestApps.CSV.toString()))))
                .source(SourceDefinition.of("csv_weird", "csv_weird",
                        SourceConfig.of(Map.of("path", TestApps.CSV_WEIRD.toString()))))
                .source(new SourceDefinition("parked", "csv", SourceConfig.of(Map.of("path", "/nowhere.csv")), false))
                .build();
    }

    @Test
    void everyEnabledSourceRunsOnceAtStart() throws Exception {
        try (AssetEtl etl = etl()) {
            EtlScheduler scheduler = new EtlScheduler(etl, EtlInterval.parse("PT1H"));
            scheduler.start();
            try {
                assertThat(scheduler.state()).isEqualTo(EtlScheduler.State.RUNNING);
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (finishedSources(etl).size() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
            } finally {
                scheduler.stop();
            }
            assertThat(finishedSources(etl)).containsExactlyInAnyOrder("csv", "csv_weird");
            assertThat(scheduler.state()).isEqualTo(EtlScheduler.State.STOPPED);
        }
    }

    @Test
    void offSchedulesNothing() throws Exception {
        try (AssetEtl etl = etl()) {
            EtlScheduler scheduler = new EtlScheduler(etl, EtlInterval.OFF);
            scheduler.start();
            scheduler.stop();

            assertThat(scheduler.state()).isEqualTo(EtlScheduler.State.OFF);
            assertThat(db.count("etl_runs")).isZero();
        }
    }

    @Test
    void stoppingInterruptsARunInProgressWhichIsRecordedAsFailedBeforeStopReturns() throws Exception {
        ListSourceFactory.dataset("held-by-scheduler", List.of("BTC,,100,1700000000"));
        try (ListSourceFactory.Gate gate = ListSourceFactory.gate("held-by-scheduler");
                AssetEtl etl = AssetEtl.builder().dataSource(db.dataSource()).discoverFactories(false)
                        .factory(new ListSourceFactory())
                        .source(SourceDefinition.of("held", "list", SourceConfig.of(Map.of(
                                "dataset", "held-by-scheduler"))))
                        .build()) {
            EtlScheduler scheduler = new EtlScheduler(etl, EtlInterval.parse("PT1H"));
            scheduler.start();
            assertThat(gate.entered().await(60, TimeUnit.SECONDS)).as("the run is waiting for its first batch")
                    .isTrue();

            scheduler.stop();

            RunRecord run = etl.runs(1, Optional.of("held"), Optional.empty()).get(0);
            assertThat(run.status()).as("interrupted, not waited for").isEqualTo(RunStatus.FAILED);
            assertThat(run.error()).contains("interrupted");
            assertThat(gate.latch().getCount()).as("the held batch was never released").isOne();
        }
    }

    private static List<String> finishedSources(AssetEtl etl) {
        return etl.runs(10, Optional.empty(), Optional.empty()).stream()
                .filter(r -> r.finishedAt() != null).map(r -> r.source()).distinct().toList();
    }
}
