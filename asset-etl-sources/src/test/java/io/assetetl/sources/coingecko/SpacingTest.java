package io.assetetl.sources.coingecko;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SpacingTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();
    /** A caller that waits out any hold. */
    private static final long ANY_HOLD = Long.MAX_VALUE;
    /** One source's client, as PacedClient is. */
    private static final Object CALLER = new Object();

    @Test
    void aCallWaitsUntilASlotHasPassedSinceTheOneBefore() {
        Spacing spacing = new Spacing(Duration.ofSeconds(10), 0);

        assertThat(spacing.reserve(0, ANY_HOLD, CALLER)).isZero();
        // a permit's new cycle starting 0.2 s after a call made late in the one before
        assertThat(spacing.reserve(10 * SECOND - 200_000_000L, ANY_HOLD, CALLER)).isEqualTo(200_000_000L);
        assertThat(spacing.reserve(25 * SECOND, ANY_HOLD, CALLER)).as("a slot has passed already").isZero();
        assertThat(spacing.reserve(30 * SECOND, ANY_HOLD, CALLER)).isEqualTo(5 * SECOND);
    }

    @Test
    void callsAskingAtOnceAreLinedUpASlotApart() {
        Spacing spacing = new Spacing(Duration.ofSeconds(2), 100 * SECOND);

        assertThat(spacing.reserve(100 * SECOND, ANY_HOLD, CALLER)).isZero();
        assertThat(spacing.reserve(100 * SECOND, ANY_HOLD, CALLER)).isEqualTo(2 * SECOND);
        assertThat(spacing.reserve(100 * SECOND, ANY_HOLD, CALLER)).isEqualTo(4 * SECOND);
    }

    @Test
    void theSlotKeptAfterACallIsNoHoldButAHoldDelaysTheNextCall() {
        Spacing spacing = new Spacing(Duration.ofSeconds(2), 0);

        assertThat(spacing.reserve(0, ANY_HOLD, CALLER)).isZero();
        assertThat(spacing.heldFor(SECOND, CALLER)).as("only waiting for the budget").isZero();

        spacing.holdUntil(60 * SECOND);
        spacing.holdUntil(30 * SECOND);

        assertThat(spacing.heldFor(SECOND, CALLER)).as("the later hold stands").isEqualTo(59 * SECOND);
        assertThat(spacing.reserve(SECOND, ANY_HOLD, CALLER)).isEqualTo(59 * SECOND);
        assertThat(spacing.reserve(SECOND, ANY_HOLD, CALLER)).as("and a slot after it").isEqualTo(61 * SECOND);
        assertThat(spacing.heldFor(61 * SECOND, CALLER)).isZero();
    }

    @Test
    void aReservationIsRefusedAndTakesNothingWhileHeldLongerThanTheCallerWaits() {
        Spacing spacing = new Spacing(Duration.ofSeconds(2), 0);
        spacing.holdUntil(60 * SECOND);

        assertThat(spacing.reserve(0, 30 * SECOND, CALLER)).isEqualTo(-1);
        assertThat(spacing.reserve(0, 60 * SECOND, CALLER)).isEqualTo(60 * SECOND);
        assertThat(spacing.reserve(0, 60 * SECOND, CALLER)).as("a slot after it, the refusal took none")
                .isEqualTo(62 * SECOND);
    }

    @Test
    void aRetryAfterOneCallerWaitsForItselfHoldsBackEveryOtherCallerButNotIt() {
        Spacing spacing = new Spacing(Duration.ofSeconds(1), 0);
        Object retrying = new Object();
        Object other = new Object();

        spacing.holdOthersUntil(retrying, 30 * SECOND, 0);

        assertThat(spacing.heldFor(SECOND, retrying)).isZero();
        assertThat(spacing.heldFor(SECOND, other)).isEqualTo(29 * SECOND);
        assertThat(spacing.reserve(SECOND, 20 * SECOND, other)).as("longer than it waits for").isEqualTo(-1);
        assertThat(spacing.reserve(SECOND, ANY_HOLD, other)).isEqualTo(29 * SECOND);
        assertThat(spacing.reserve(SECOND, ANY_HOLD, retrying)).as("a slot after the other's call")
                .isEqualTo(30 * SECOND);
    }

    @Test
    void holdsForOthersAddUpWithTheHoldForAllAndPass() {
        Spacing spacing = new Spacing(Duration.ofSeconds(1), 0);
        Object first = new Object();
        Object second = new Object();

        spacing.holdOthersUntil(first, 10 * SECOND, 0);
        spacing.holdOthersUntil(second, 20 * SECOND, 0);
        spacing.holdUntil(5 * SECOND);

        assertThat(spacing.heldFor(0, first)).as("the second's").isEqualTo(20 * SECOND);
        assertThat(spacing.heldFor(0, second)).as("the first's").isEqualTo(10 * SECOND);
        assertThat(spacing.heldFor(0, CALLER)).isEqualTo(20 * SECOND);
        spacing.holdOthersUntil(CALLER, 40 * SECOND, 25 * SECOND);
        assertThat(spacing.heldFor(25 * SECOND, first)).as("the passed ones forgotten").isEqualTo(15 * SECOND);
        assertThat(spacing.heldFor(41 * SECOND, first)).isZero();
    }

    @Test
    void aLongerSlotTakesOverFromTheNextCallAndAShorterOneNever() {
        Spacing spacing = new Spacing(Duration.ofSeconds(1), 0);

        assertThat(spacing.reserve(0, ANY_HOLD, CALLER)).isZero();
        assertThat(spacing.atLeast(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
        assertThat(spacing.atLeast(Duration.ofMillis(500))).isEqualTo(Duration.ofSeconds(3));
        assertThat(spacing.reserve(0, ANY_HOLD, CALLER)).as("the slot already taken").isEqualTo(SECOND);
        assertThat(spacing.reserve(0, ANY_HOLD, CALLER)).isEqualTo(4 * SECOND);
    }

    @Test
    void nanoTimeMayBeNegative() {
        Spacing spacing = new Spacing(Duration.ofSeconds(1), -5 * SECOND);

        assertThat(spacing.reserve(-5 * SECOND, ANY_HOLD, CALLER)).isZero();
        assertThat(spacing.reserve(-5 * SECOND + SECOND / 2, ANY_HOLD, CALLER)).isEqualTo(SECOND / 2);
    }
}
