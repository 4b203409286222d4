package io.assetetl.service.cli;

import io.assetetl.run.RunProgress;
import java.io.PrintStream;
import java.util.UUID;

/** Prints {@code csv: 120000 rows done, 85000 rows/s} after every committed chunk, for people at a terminal. */
final class ProgressPrinter implements RunProgress {

    private final PrintStream out;

    ProgressPrinter(PrintStream out) {
        this.out = out;
    }

    @Override
    public void chunkCommitted(UUID runId, String source, long processed, long elapsedMs) {
        long perSecond = elapsedMs <= 0 ? processed : processed * 1000 / elapsedMs;
        out.println(source + ": " + processed + " rows done, " + perSecond + " rows/s");
        out.flush();
    }
}
