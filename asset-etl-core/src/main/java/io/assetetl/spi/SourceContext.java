package io.assetetl.spi;

import static java.util.Objects.requireNonNull;

import io.assetetl.run.EtlMetrics;
import java.time.Clock;

/**
 * What the engine offers to sources.
 *
 * @param clock   the clock to use for every "now" (fixed in tests)
 * @param metrics where to count upstream calls, retries and waits
 */
public record SourceContext(Clock clock, EtlMetrics metrics) {

    public SourceContext {
        requireNonNull(clock, "clock is null");
        requireNonNull(metrics, "metrics is null");
    }

    public static SourceContext defaults() {
        return new SourceContext(Clock.systemUTC(), EtlMetrics.NOOP);
    }
}
