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
 * @param resumedFrom the run whose checkpoint this run started from, or {@code null}
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
