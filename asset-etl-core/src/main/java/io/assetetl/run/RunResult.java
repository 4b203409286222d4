package io.assetetl.run;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.UUID;

/**
 * The outcome of one finished run. For every finished run
 * {@code processed == loaded + unchanged + rejected}.
 *
 * @param error why the run failed, or {@code null} when it succeeded
 */
public record RunResult(
        UUID runId,
        String source,
        RunStatus status,
        long processed,
        long loaded,
        long unchanged,
        long rejected,
        long durationMs,
        String error) {

    public RunResult {
        requireNonNull(runId, "runId is null");
        requireNonNull(source, "source is null");
        requireNonNull(status, "status is null");
    }

    public boolean succeeded() {
        return status == RunStatus.SUCCEEDED;
    }

    public Optional<String> errorMessage() {
        return Optional.ofNullable(error);
    }
}
