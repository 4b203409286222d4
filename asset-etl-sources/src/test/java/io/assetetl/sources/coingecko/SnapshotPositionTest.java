package io.assetetl.sources.coingecko;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetetl.model.Checkpoint;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SnapshotPositionTest {

    private static final Instant STARTED = Instant.parse("2026-04-30T02:30:00.250Z");
    private static final Duration WINDOW = Duration.ofMinutes(30);

    @Test
    void writesAndReadsItsCheckpoint() {
        SnapshotPosition position = SnapshotPosition.start(STARTED, 250).after(2, false);

        Checkpoint checkpoint = position.toCheckpoint();

        assertThat(checkpoint.position())
                .isEqualTo("{\"snapshot_at\":\"2026-04-30T02:30:00.250Z\",\"next_page\":3,\"complete\":false,"
                        + "\"per_page\":250}");
        assertThat(SnapshotPosition.parse(checkpoint)).contains(position);
    }

    @Test
    void anUnfinishedSnapshotIsResumedOnlyWithinTheWindow() {
        SnapshotPosition failedAtPage3 = SnapshotPosition.start(STARTED, 250).after(2, false);

        assertThat(failedAtPage3.resumableAt(STARTED.plus(WINDOW), WINDOW, 4, 250)).isTrue();
        assertThat(failedAtPage3.resumableAt(STARTED.plus(WINDOW).plusMillis(1), WINDOW, 4, 250)).isFalse();
        assertThat(failedAtPage3.resumableAt(STARTED.minusSeconds(1), WINDOW, 4, 250)).isFalse();
    }

    @Test
    void anUnfinishedSnapshotOfAnotherPageSizeIsNotResumed() {
        SnapshotPosition failedAtPage2 = SnapshotPosition.start(STARTED, 50).after(1, false);

        // page 2 of 100 a page starts at the coin ranked 101: those ranked 51 to 100 would never be read
        assertThat(failedAtPage2.resumableAt(STARTED, WINDOW, 3, 100)).isFalse();
        assertThat(failedAtPage2.resumableAt(STARTED, WINDOW, 3, 50)).isTrue();
        // a checkpoint of an earlier version does not say its page size
        SnapshotPosition unsized = SnapshotPosition.parse(Checkpoint.of(
                "{\"snapshot_at\":\"2026-04-30T02:30:00.250Z\",\"next_page\":2,\"complete\":false}")).orElseThrow();
        assertThat(unsized.resumableAt(STARTED, WINDOW, 3, 50)).isFalse();
    }

    @Test
    void aCompleteSnapshotOrOnePastThePageCapIsNeverResumed() {
        assertThat(SnapshotPosition.start(STARTED, 250).after(4, true).resumableAt(STARTED, WINDOW, 4, 250))
                .isFalse();
        assertThat(SnapshotPosition.start(STARTED, 250).after(3, false).resumableAt(STARTED, WINDOW, 3, 250))
                .isFalse();
    }

    @Test
    void aForeignCheckpointIsNotAPosition() {
        assertThat(SnapshotPosition.parse(Checkpoint.of("{\"file_sha256\":\"ab\",\"line\":3}"))).isEmpty();
        assertThat(SnapshotPosition.parse(Checkpoint.of("{\"snapshot_at\":\"yesterday\",\"next_page\":2}")))
                .isEmpty();
        assertThat(SnapshotPosition.parse(Checkpoint.of("[\"not\", \"an object\"]"))).isEmpty();
        assertThat(SnapshotPosition.parse(Checkpoint.of("{\"snapshot_at\":\"2026-04-30T02:30:00Z\",\"next_page\":0}")))
                .isEmpty();
    }
}
