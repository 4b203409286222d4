package io.assetetl.run;

import static java.util.Objects.requireNonNull;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * A run that holds its source's lock and has its row in {@code etl_runs}; its work goes on in the background.
 *
 * @param completion completes with the run's result (also when the run failed); never completes exceptionally
 */
public record StartedRun(UUID runId, String source, CompletableFuture<RunResult> completion) {

    public StartedRun {
        requireNonNull(runId, "runId is null");
        requireNonNull(source, "source is null");
        requireNonNull(completion, "completion is null");
    }
}
