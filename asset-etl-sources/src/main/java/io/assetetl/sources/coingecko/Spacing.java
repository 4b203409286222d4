package io.assetetl.sources.coingecko;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps the calls of one budget at least a slot apart. The rate limiter hands out one permit per slot-long cycle,
 * but a call made late in one cycle (after a retry's wait, say) could be followed by one early in the next, less
 * than a slot later, and a minute could then hold one call more than the budget. It also keeps the time before
 * which CoinGecko asked for no call ({@code Retry-After}), for every later call of the budget, whichever run makes
 * it; that hold is kept apart from the slots, so that waiting for the budget is never taken for waiting for
 * CoinGecko. Thread-safe.
 */
final class Spacing {

    private final long slotNanos;
    /** The earliest time, in {@link System#nanoTime} terms, the next call may be made at as far as the budget goes. */
    private final AtomicLong nextFree;
    /** The time, in {@link System#nanoTime} terms, CoinGecko asked for no call before (in the past if it did not). */
    private final AtomicLong heldUntil;

    Spacing(Duration slot, long nowNanos) {
        this.slotNanos = slot.toNanos();
        this.nextFree = new AtomicLong(nowNanos);
        this.heldUntil = new AtomicLong(nowNanos);
    }

    /** Makes no call of the budget start before {@code untilNanos} ({@link System#nanoTime} terms). */
    void holdUntil(long untilNanos) {
        heldUntil.accumulateAndGet(untilNanos, Spacing::later);
    }

    /** The time CoinGecko asked for no call before, as last set ({@link System#nanoTime} terms; may be past). */
    long heldUntil() {
        return heldUntil.get();
    }

    /** How long from {@code nowNanos} CoinGecko asked for no call for (0: it did not, or that time has passed). */
    long heldFor(long nowNanos) {
        return Math.max(0, heldUntil.get() - nowNanos);
    }

    /**
     * Takes the next free time for a call unless CoinGecko asked for no call for longer than {@code maxHoldNanos}
     * from {@code nowNanos}: returns how long to wait for it (0: none), or -1, taking nothing, if so held.
     */
    long reserve(long nowNanos, long maxHoldNanos) {
        while (true) {
            long held = heldUntil.get();
            if (held - nowNanos > maxHoldNanos) {
                return -1;
            }
            long next = nextFree.get();
            long at = later(next, later(held, nowNanos));
            if (nextFree.compareAndSet(next, at + slotNanos)) {
                return at - nowNanos;
            }
        }
    }

    /** The later of two {@link System#nanoTime} values, which may wrap: compared by their difference. */
    private static long later(long a, long b) {
        return a - b > 0 ? a : b;
    }
}
