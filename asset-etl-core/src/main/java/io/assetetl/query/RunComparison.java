package io.assetetl.query;

import static java.util.Objects.requireNonNull;

import io.assetetl.run.RunRecord;
import io.assetetl.run.RunStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Two consecutive finished runs of one source, side by side, with what looks wrong about the later one.
 *
 * @param current  the later run
 * @param previous the run before it
 * @param anomalies codes from {@link Anomaly#code()}, in declaration order
 */
public record RunComparison(RunRecord current, RunRecord previous, List<String> anomalies) {

    public RunComparison {
        requireNonNull(current, "current is null");
        requireNonNull(previous, "previous is null");
        anomalies = List.copyOf(anomalies);
    }

    /** What can be flagged. */
    public enum Anomaly {
        /** Records processed changed by more than half of the previous run's count. */
        RECORD_COUNT_CHANGE("record_count_change"),
        /** The run took more than twice as long as the previous one. */
        DURATION_OVER_2X("duration_over_2x"),
        /** The run processed no record at all. */
        ZERO_RECORDS("zero_records"),
        /** The previous run succeeded and this one did not. */
        SUCCEEDED_TO_FAILED("succeeded_to_failed");

        private final String code;

        Anomaly(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private static final Set<RunStatus> FINISHED = Set.of(RunStatus.SUCCEEDED, RunStatus.FAILED,
            RunStatus.ABANDONED);

    /**
     * Pairs each finished run with the finished run of the same kind before it: an ingest with the ingest before
     * it, a reprocess with the reprocess before it (a reprocess replays every stored record, so its counts say
     * nothing about the feed's).
     *
     * @param newestFirst one source's runs, newest first (as {@code AssetEtl.runs} returns them); runs still in
     *                    progress are skipped
     * @return newest pair first; for each kind, one fewer than the finished runs of that kind given
     */
    public static List<RunComparison> consecutive(List<RunRecord> newestFirst) {
        List<RunRecord> finished = newestFirst.stream().filter(r -> FINISHED.contains(r.status())).toList();
        List<RunComparison> pairs = new ArrayList<>();
        for (int i = 0; i < finished.size(); i++) {
            RunRecord current = finished.get(i);
            finished.subList(i + 1, finished.size()).stream().filter(r -> r.kind().equals(current.kind()))
                    .findFirst()
                    .ifPresent(previous -> pairs.add(new RunComparison(current, previous, anomalies(current,
                            previous))));
        }
        return pairs;
    }

    static List<String> anomalies(RunRecord current, RunRecord previous) {
        List<String> flags = new ArrayList<>();
        long before = previous.recordsProcessed();
        long after = current.recordsProcessed();
        // from none to some is a change beyond any share
        if (before > 0 ? Math.abs(after - before) * 2 > before : after > 0) {
            flags.add(Anomaly.RECORD_COUNT_CHANGE.code());
        }
        if (current.durationMs() != null && previous.durationMs() != null && previous.durationMs() > 0
                && current.durationMs() > 2 * previous.durationMs()) {
            flags.add(Anomaly.DURATION_OVER_2X.code());
        }
        if (after == 0) {
            flags.add(Anomaly.ZERO_RECORDS.code());
        }
        if (previous.status() == RunStatus.SUCCEEDED && current.status() != RunStatus.SUCCEEDED) {
            flags.add(Anomaly.SUCCEEDED_TO_FAILED.code());
        }
        return flags;
    }
}
