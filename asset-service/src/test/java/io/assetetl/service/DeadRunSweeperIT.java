package io.assetetl.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetetl.AssetEtl;
import io.assetetl.run.RunStatus;
import io.assetetl.run.SourceDefinition;
import io.assetetl.service.metrics.PrometheusEtlMetrics;
import io.assetetl.spi.SourceConfig;
import io.assetetl.store.internal.RunLedger;
import io.assetetl.testing.TestDatabase;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The server's sweep of the run ledger, on its own: no source runs, and a dead run is abandoned all the same. */
class DeadRunSweeperIT {

    private final TestDatabase db = TestDatabase.create();

    @Test
    void aRunAKilledProcessLeftRunningIsMarkedAbandonedWithoutAnyRunOfItsSource() throws Exception {
        UUID dead = UUID.randomUUID();
        db.jdbi().useHandle(h -> RunLedger.insertRunning(h, dead, "csv", "ingest",
                Instant.parse("2026-01-01T00:00:00Z"), null, "killed-host"));
        PrometheusRegistry registry = new PrometheusRegistry();
        try (AssetEtl etl = AssetEtl.builder().dataSource(db.dataSource()).metrics(new PrometheusEtlMetrics(registry))
                .source(SourceDefinition.of("csv", "csv", SourceConfig.of(Map.of("path", TestApps.CSV.toString()))))
                .build()) {
            DeadRunSweeper sweeper = new DeadRunSweeper(etl, Duration.ofHours(1));
            sweeper.start();
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (etl.findRun(dead).orElseThrow().status() == RunStatus.RUNNING
                        && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
            } finally {
                sweeper.stop();
            }

            assertThat(etl.findRun(dead).orElseThrow().status()).as("swept at start").isEqualTo(RunStatus.ABANDONED);
            assertThat(etl.runs(10, Optional.empty(), Optional.empty())).hasSize(1);
            ByteArrayOutputStream scrape = new ByteArrayOutputStream();
            PrometheusTextFormatWriter.create().write(scrape, registry.scrape());
            assertThat(scrape.toString(StandardCharsets.UTF_8))
                    .contains("etl_runs_total{source=\"csv\",status=\"abandoned\"} 1.0");
        }
    }
}
