package io.assetetl.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetetl.run.RunRecord;
import io.assetetl.run.RunStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RunComparisonTest {

    private static final Instant T0 = Instant.parse("2025-01-15T12:00:00Z");

    private static RunRecord run(int minute, RunStatus status, long processed, Long durationMs) {
        return run(minute, "ingest", status, processed, durationMs);
    }

    private static RunRecord run(int minute, String kind, RunStatus status, long processed, Long durationMs) {
        Instant started = T0.plusSeconds(60L * minute);
        return new RunRecord(UUID.nameUUIDFromBytes(("run" + minute).getBytes()), "csv", kind, status, started,
                status == RunStatus.RUNNING ? null : started.plusMillis(durationMs), durationMs, processed,
                processed, 0, 0, 1, status == RunStatus.FAILED ? "boom" : null, null);
    }

    @Test
    void eachRunIsComparedWithTheRunOfItsOwnKindBeforeIt() {
        RunRecord reprocessed = run(3, "reprocess", RunStatus.SUCCEEDED, 5000, 9000L);
        RunRecord ingested = run(2, RunStatus.SUCCEEDED, 100, 1000L);
        RunRecord first = run(1, RunStatus.SUCCEEDED, 120, 900L);

        List<RunComparison> pairs = RunComparison.consecutive(List.of(run(4, RunStatus.SUCCEEDED, 110, 950L),
                reprocessed, ingested, first));

        assertThat(pairs).extracting(p -> p.previous().runId())
                .containsExactly(ingested.runId(), first.runId());
        assertThat(pairs).allSatisfy(p -> assertThat(p.anomalies()).isEmpty());
    }

    @Test
    void steadyRunsHaveNoAnomalies() {
        List<RunComparison> pairs = RunComparison.consecutive(List.of(
                run(2, RunStatus.SUCCEEDED, 100, 1000L), run(1, RunStatus.SUCCEEDED, 120, 900L)));

        assertThat(pairs).singleElement().satisfies(p -> assertThat(p.anomalies()).isEmpty());
    }

    @Test
    void flagsCountChangeSlowdownZeroRecordsAndFailure() {
        List<RunComparison> pairs = RunComparison.consecutive(List.of(
                run(4, RunStatus.FAILED, 0, 5000L),
                run(3, RunStatus.SUCCEEDED, 100, 1000L),
                run(2, RunStatus.SUCCEEDED, 49, 1000L)));

        assertThat(pairs).hasSize(2);
        assertThat(pairs.get(0).anomalies()).containsExactly("record_count_change", "duration_over_2x",
                "zero_records", "succeeded_to_failed");
        assertThat(pairs.get(1).anomalies()).containsExactly("record_count_change");
    }

    @Test
    void recordsAfterARunOfNoneAreACountChange() {
        List<RunComparison> pairs = RunComparison.consecutive(List.of(
                run(3, RunStatus.SUCCEEDED, 3, 1000L), run(2, RunStatus.SUCCEEDED, 0, 1000L),
                run(1, RunStatus.SUCCEEDED, 0, 1000L)));

        assertThat(pairs.get(0).anomalies()).containsExactly("record_count_change");
        assertThat(pairs.get(1).anomalies()).as("none after none is no change").containsExactly("zero_records");
    }

    @Test
    void exactlyHalfAndExactlyDoubleAreNotAnomalies() {
        List<RunComparison> pairs = RunComparison.consecutive(List.of(
                run(2, RunStatus.SUCCEEDED, 150, 2000L), run(1, RunStatus.SUCCEEDED, 100, 1000L)));

        assertThat(pairs.get(0).anomalies()).isEmpty();
    }

    @Test
    void runsInProgressAreSkippedSoFinishedRunsPairAcrossThem() {
        RunRecord running = run(3, RunStatus.RUNNING, 10, null);
        List<RunComparison> pairs = RunComparison.consecutive(List.of(running,
                run(2, RunStatus.SUCCEEDED, 100, 1000L), run(1, RunStatus.ABANDONED, 40, 800L)));

        assertThat(pairs).singleElement().satisfies(p -> {
            assertThat(p.current().recordsProcessed()).isEqualTo(100);
            assertThat(p.previous().status()).isEqualTo(RunStatus.ABANDONED);
        });
    }
}
