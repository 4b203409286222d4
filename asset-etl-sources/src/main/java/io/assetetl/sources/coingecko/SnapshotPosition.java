package io.assetetl.sources.coingecko;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetetl.model.Checkpoint;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Where the reading of one snapshot of {@code /coins/markets} stands: the checkpoint
 * {@code {"snapshot_at":"2026-04-30T02:30:00Z","next_page":3,"complete":false,"per_page":250}}.
 *
 * <p>A snapshot is the paging started at {@code snapshot_at}. A run that failed part-way resumes it at
 * {@code next_page} if it starts again within the resume window (the ranking has barely moved, so the pages still
 * line up); later, once the snapshot is complete, or with another page size (whose pages would not line up with
 * the pages read: with 100 a page instead of 50, page 2 skipped the coins ranked 51 to 100), a run starts a new
 * snapshot at page 1.
 *
 * @param snapshotAt when the paging of the snapshot started
 * @param nextPage   the first page not read yet (1-based)
 * @param complete   whether the snapshot was read to its end (an empty or short page, or the page cap)
 * @param perPage    the coins a page of the snapshot holds; 0 when the checkpoint does not say (written by an
 *                   earlier version: never resumed)
 */
record SnapshotPosition(Instant snapshotAt, int nextPage, boolean complete, int perPage) {

    SnapshotPosition {
        requireNonNull(snapshotAt, "snapshotAt is null");
        if (nextPage < 1) {
            throw new IllegalArgumentException("nextPage must be positive: " + nextPage);
        }
    }

    static SnapshotPosition start(Instant now, int perPage) {
        return new SnapshotPosition(now, 1, false, perPage);
    }

    /** The position a checkpoint holds, or empty when it is not one of ours (then reading starts afresh). */
    static Optional<SnapshotPosition> parse(Checkpoint checkpoint) {
        try {
            JsonNode json = MarketItems.MAPPER.readTree(checkpoint.position());
            JsonNode at = json.path("snapshot_at");
            JsonNode page = json.path("next_page");
            if (!at.isTextual() || !page.canConvertToInt() || page.asInt() < 1) {
                return Optional.empty();
            }
            return Optional.of(new SnapshotPosition(Instant.parse(at.asText()), page.asInt(),
                    json.path("complete").asBoolean(false), json.path("per_page").asInt(0)));
        } catch (JsonProcessingException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Whether a run starting at {@code now} continues this snapshot rather than starting a new one. */
    boolean resumableAt(Instant now, Duration window, int pages, int perPage) {
        return !complete && nextPage <= pages && perPage == this.perPage && !now.isBefore(snapshotAt)
                && !now.isAfter(snapshotAt.plus(window));
    }

    /** The position after page {@code page} was read. */
    SnapshotPosition after(int page, boolean last) {
        return new SnapshotPosition(snapshotAt, page + 1, last, perPage);
    }

    Checkpoint toCheckpoint() {
        ObjectNode json = MarketItems.MAPPER.createObjectNode();
        json.put("snapshot_at", snapshotAt.toString());
        json.put("next_page", nextPage);
        json.put("complete", complete);
        json.put("per_page", perPage);
        return Checkpoint.of(json.toString());
    }
}
