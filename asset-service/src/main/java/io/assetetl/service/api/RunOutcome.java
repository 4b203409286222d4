package io.assetetl.service.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.assetetl.run.RunResult;
import java.util.UUID;

/**
 * The one-line JSON summary that {@code ingest} and {@code reprocess} print last on stdout, whatever the outcome
 * once the command line was understood. Every field is written, {@code null} included: {@code run_id} is null when
 * no run took place (refused, or the database could not be reached), {@code error} is null when the run succeeded.
 *
 * @param status a run's status ({@code succeeded}, {@code failed}), {@link #REFUSED} when another run of the source
 *     held its lock, or {@code failed} when the command failed before a run started
 * @param error why the run failed, as stored in {@code etl_runs.error}, or why no run took place
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"run_id", "source", "status", "records_processed", "records_loaded", "records_unchanged",
        "records_rejected", "duration_ms", "error"})
public record RunOutcome(UUID runId, String source, String status, long recordsProcessed, long recordsLoaded,
        long recordsUnchanged, long recordsRejected, long durationMs, String error) {

    /** The status of a run that was not started because another run of its source was in progress. */
    public static final String REFUSED = "refused";
    /** The status of a command that failed before a run started. */
    public static final String FAILED = "failed";

    public RunOutcome {
        requireNonNull(source, "source is null");
        requireNonNull(status, "status is null");
    }

    public static RunOutcome from(RunResult r) {
        return new RunOutcome(r.runId(), r.source(), r.status().code(), r.processed(), r.loaded(), r.unchanged(),
                r.rejected(), r.durationMs(), r.errorMessage().orElse(null));
    }

    /** The summary of a command that ended without a run: {@link #REFUSED} or {@link #FAILED}. */
    public static RunOutcome withoutRun(String source, String status, long durationMs, String error) {
        return new RunOutcome(null, source, status, 0, 0, 0, 0, durationMs, requireNonNull(error, "error is null"));
    }
}
