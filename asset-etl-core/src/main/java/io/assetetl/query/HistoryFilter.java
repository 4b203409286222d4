package io.assetetl.query;

import java.time.Instant;
import java.util.Optional;

/**
 * Which quotes of an asset to list, newest first.
 *
 * @param from  inclusive lower bound of {@code observed_at}
 * @param to    exclusive upper bound of {@code observed_at}
 * @param limit how many quotes at most, at least 1
 */
public record HistoryFilter(Optional<String> source, Optional<Instant> from, Optional<Instant> to, int limit) {

    public HistoryFilter {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
    }
}
