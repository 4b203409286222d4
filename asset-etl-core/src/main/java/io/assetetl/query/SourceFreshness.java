package io.assetetl.query;

import java.time.Instant;

/**
 * How current one source's canonical rows are.
 *
 * @param assets           how many assets the source reports
 * @param latestObservedAt the newest observation time among them
 * @param latestUpdatedAt  when a load last changed one of them
 */
public record SourceFreshness(String source, long assets, Instant latestObservedAt, Instant latestUpdatedAt) {
}
