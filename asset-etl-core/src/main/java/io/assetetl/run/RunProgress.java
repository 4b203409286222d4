package io.assetetl.run;

import java.util.UUID;

/**
 * Told after every committed chunk of a run, from the thread that runs it; for progress lines on a terminal.
 * An exception it throws is logged and the run goes on.
 */
@FunctionalInterface
public interface RunProgress {

    RunProgress NONE = (runId, source, processed, elapsedMs) -> { };

    void chunkCommitted(UUID runId, String source, long processed, long elapsedMs);
}
