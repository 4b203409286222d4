package io.assetetl.sources.coingecko;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps the calls of one budget at least a slot apart. The rate limiter hands out one permit per slot-long cycle,
 * but a call made late in one cycle (after a retry's wait, say) could be followed by one early in the next, less
 * than a slot later, and a minute could then hold one call more than the budget. It also keeps the time before
 * which CoinGecko asked for no call ({@code Retry-After}), for every later call of the budget, whichever run makes
 * it. Thread-safe.
 */
final class Spacing {

    private final long slotNanos;
    /** The earliest time, in {@link System#nanoTime} terms, the next call may be made at. */
    private final AtomicLong nextFree;

    Spacing(Duration slot, long nowNanos) {
        this.slotNanos = slot.toNanos();
        this.nextFree = new AtomicLong(nowNanos);
    }

    /** Makes no call of the budget start before {@code untilNanos} ({@link System#nanoTime} terms). */
    void holdUntil(long untilNanos) {
        nextFree.accumulateAndGet(untilNanos, (next, until) -> until - next > 0 ? until : next);
    }

    /** How long from {@code nowNanos} until the next call may start (0: at once). */
    long heldFor(long nowNanos) {
        return Math.max(0, nextFree.get() - nowNanos);
    }

    /** Takes the next free time for a call; returns how long to wait for it from {@code nowNanos} (0: none). */
    long reserve(long nowNanos) {
        while (true) {
            long next = nextFree.get();
            long at = next - nowNanos > 0 ? next : nowNanos;
            if (nextFree.compareAndSet(next, at + slotNanos)) {
                return at - nowNanos;
            }
        }
    }
}
