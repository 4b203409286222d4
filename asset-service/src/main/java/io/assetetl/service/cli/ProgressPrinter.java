package io.assetetl.service.cli;

import io.assetetl.run.RunProgress;
import java.io.PrintStream;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports {@code csv: 120000 rows done, 85000 rows/s} after every committed chunk: as a plain stderr line for
 * people at a terminal, or as a log line (with the run's MDC) when logs are JSON, so that stderr stays one JSON
 * object per line.
 */
final class ProgressPrinter implements RunProgress {

    private static final Logger LOG = LoggerFactory.getLogger(ProgressPrinter.class);

    private final PrintStream out;
    private final boolean asLog;

    ProgressPrinter(PrintStream out, boolean asLog) {
        this.out = out;
        this.asLog = asLog;
    }

    @Override
    public void chunkCommitted(UUID runId, String source, long processed, long elapsedMs) {
        long perSecond = elapsedMs <= 0 ? processed : processed * 1000 / elapsedMs;
        String line = source + ": " + processed + " rows done, " + perSecond + " rows/s";
        if (asLog) {
            LOG.info(line);
        } else {
            out.println(line);
            out.flush();
        }
    }
}
