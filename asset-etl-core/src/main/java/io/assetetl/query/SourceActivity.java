package io.assetetl.query;

import static java.util.Objects.requireNonNull;

import io.assetetl.run.RunRecord;
import java.time.Instant;
import java.util.Optional;

/**
 * What one source's runs have done so far.
 *
 * @param runs                  how many ingest runs the ledger holds
 * @param totalProcessed        records processed by all of them
 * @param lastRun               the most recently started ingest run (a reprocess one only if there is none)
 * @param lastRunMetadata       that run's {@code metadata} (JSON object text)
 * @param lastSuccessAt         when the latest successful ingest run finished, or {@code null}
 * @param lastFailureAt         when the latest failed or abandoned ingest run ended, or {@code null}
 */
public record SourceActivity(String source, long runs, long totalProcessed, RunRecord lastRun, String lastRunMetadata,
        Instant lastSuccessAt, Instant lastFailureAt) {

    public SourceActivity {
        requireNonNull(source, "source is null");
        requireNonNull(lastRun, "lastRun is null");
    }

    public Optional<Instant> lastSuccess() {
        return Optional.ofNullable(lastSuccessAt);
    }

    public Optional<Instant> lastFailure() {
        return Optional.ofNullable(lastFailureAt);
    }
}
