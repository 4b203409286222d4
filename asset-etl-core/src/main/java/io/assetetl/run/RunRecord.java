package io.assetetl.run;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of the run ledger, {@code etl_runs}.
 *
 * @param finishedAt  {@code null} while running; for an abandoned run, the last moment it is known to have run: when
 *                    its last chunk committed, or its start if none did
 * @param durationMs  {@code null} while running; from its start to {@code finishedAt}
 * @param error       {@code null} unless failed or abandoned
 * @param resumedFrom the run that did not succeed (failed or abandoned) whose checkpoint this run started from, going
 *                    on where it stopped; {@code null} when this run started from a successful run's checkpoint,
 *                    from none, or after a run of the source succeeded since that one (a reprocess resumes nothing)
 */
public record RunRecord(
        UUID runId,
        String source,
        String kind,
        RunStatus status,
        Instant startedAt,
        Instant finishedAt,
        Long durationMs,
        long recordsProcessed,
        long recordsLoaded,
        long recordsUnchanged,
        long recordsRejected,
        int chunks,
        String error,
        UUID resumedFrom) {
}
