package io.assetetl.sources.coingecko;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SpacingTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();
    /** A caller that waits out any hold. */
    private static final long ANY_HOLD = Long.MAX_VALUE;

    @Test
    void aCallWaitsUntilASlotHasPassedSinceTheOneBefore() {
        Spacing spacing = new Spacing(Duration.ofSeconds(10), 0);

        assertThat(spacing.reserve(0, ANY_HOLD)).isZero();
        // a permit's new cycle starting 0.2 s after a call made late in the one before
        assertThat(spacing.reserve(10 * SECOND - 200_000_000L, ANY_HOLD)).isEqualTo(200_000_000L);
        assertThat(spacing.reserve(25 * SECOND, ANY_HOLD)).as("a slot has passed already").isZero();
        assertThat(spacing.reserve(30 * SECOND, ANY_HOLD)).isEqualTo(5 * SECOND);
    }

    @Test
    void callsAskingAtOnceAreLinedUpASlotApart() {
        Spacing spacing = new Spacing(Duration.ofSeconds(2), 100 * SECOND);

        assertThat(spacing.reserve(100 * SECOND, ANY_HOLD)).isZero();
        assertThat(spacing.reserve(100 * SECOND, ANY_HOLD)).isEqualTo(2 * SECOND);
        assertThat(spacing.reserve(100 * SECOND, ANY_HOLD)).isEqualTo(4 * SECOND);
    }

    @Test
    void theSlotKeptAfterACallIsNoHoldButAHoldDelaysTheNextCall() {
        Spacing spacing = new Spacing(Duration.ofSeconds(2), 0);

        assertThat(spacing.reserve(0, ANY_HOLD)).isZero();
        assertThat(spacing.heldFor(SECOND)).as("only waiting for the budget").isZero();

        spacing.holdUntil(60 * SECOND);
        spacing.holdUntil(30 * SECOND);

        assertThat(spacing.heldFor(SECOND)).as("the later hold stands").isEqualTo(59 * SECOND);
        assertThat(spacing.reserve(SECOND, ANY_HOLD)).isEqualTo(59 * SECOND);
        assertThat(spacing.reserve(SECOND, ANY_HOLD)).as("and a slot after it").isEqualTo(61 * SECOND);
        assertThat(spacing.heldFor(61 * SECOND)).isZero();
    }

    @Test
    void aReservationIsRefusedAndTakesNothingWhileHeldLongerThanTheCallerWaits() {
        Spacing spacing = new Spacing(Duration.ofSeconds(2), 0);
        spacing.holdUntil(60 * SECOND);

        assertThat(spacing.reserve(0, 30 * SECOND)).isEqualTo(-1);
        assertThat(spacing.reserve(0, 60 * SECOND)).isEqualTo(60 * SECOND);
        assertThat(spacing.reserve(0, 60 * SECOND)).as("a slot after it, the refusal took none")
                .isEqualTo(62 * SECOND);
    }

    @Test
    void nanoTimeMayBeNegative() {
        Spacing spacing = new Spacing(Duration.ofSeconds(1), -5 * SECOND);

        assertThat(spacing.reserve(-5 * SECOND, ANY_HOLD)).isZero();
        assertThat(spacing.reserve(-5 * SECOND + SECOND / 2, ANY_HOLD)).isEqualTo(SECOND / 2);
    }
}
