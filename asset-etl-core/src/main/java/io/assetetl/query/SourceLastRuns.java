package io.assetetl.query;

import static java.util.Objects.requireNonNull;

import io.assetetl.run.RunRecord;
import java.time.Instant;

/**
 * One source's last runs: what {@code GET /health} and {@code GET /sources} show of its runs, without the totals of
 * {@link SourceActivity}, whose count of every run grows with the ledger.
 *
 * @param lastRun         the most recently started ingest run (a reprocess one only if there is none)
 * @param lastRunMetadata that run's {@code metadata} (JSON object text)
 * @param lastSuccessAt   when the latest successful ingest run finished, or {@code null}
 * @param lastFailureAt   when the latest failed or abandoned ingest run ended, or {@code null}
 */
public record SourceLastRuns(String source, RunRecord lastRun, String lastRunMetadata, Instant lastSuccessAt,
        Instant lastFailureAt) {

    public SourceLastRuns {
        requireNonNull(source, "source is null");
        requireNonNull(lastRun, "lastRun is null");
    }
}
