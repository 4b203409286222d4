package io.assetetl.sources.coingecko;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps the calls of one budget at least a slot apart. The rate limiter hands out one permit per slot-long cycle,
 * but a call made late in one cycle (after a retry's wait, say) could be followed by one early in the next, less
 * than a slot later, and a minute could then hold one call more than the budget. It also keeps the time before
 * which CoinGecko asked for no call ({@code Retry-After}), for every later call of the budget, whichever run makes
 * it; that hold is kept apart from the slots, so that waiting for the budget is never taken for waiting for
 * CoinGecko. A {@code Retry-After} a call is retried after holds back the budget's other callers too (sources that
 * share the budget, which CoinGecko counts as one), but not the caller it answered: that one waits for it before its
 * retry already. Thread-safe.
 */
final class Spacing {

    /** The time between two calls: the longest any source of the budget asked for ({@link #atLeast}). */
    private final AtomicLong slotNanos;
    /** The earliest time, in {@link System#nanoTime} terms, the next call may be made at as far as the budget goes. */
    private final AtomicLong nextFree;
    /** The time, in {@link System#nanoTime} terms, CoinGecko asked for no call before (in the past if it did not). */
    private final AtomicLong heldUntil;
    /** The times, in {@link System#nanoTime} terms, CoinGecko asked one caller's retry to wait for, by caller. */
    private final ConcurrentMap<Object, Long> othersHeldUntil = new ConcurrentHashMap<>();

    Spacing(Duration slot, long nowNanos) {
        this.slotNanos = new AtomicLong(slot.toNanos());
        this.nextFree = new AtomicLong(nowNanos);
        this.heldUntil = new AtomicLong(nowNanos);
    }

    /**
     * Keeps the calls at least {@code slot} apart from now on, if that is longer than the time kept so far; returns
     * the time kept. Sources that share the budget but were given different rates are paced at the lowest.
     */
    Duration atLeast(Duration slot) {
        return Duration.ofNanos(slotNanos.accumulateAndGet(slot.toNanos(), Math::max));
    }

    /** Makes no call of the budget start before {@code untilNanos} ({@link System#nanoTime} terms). */
    void holdUntil(long untilNanos) {
        heldUntil.accumulateAndGet(untilNanos, Spacing::later);
    }

    /**
     * Makes no call of the budget but {@code holder}'s start before {@code untilNanos}: {@code holder} was given a
     * {@code Retry-After} it waits for itself before its retry. Forgets the holds that have passed by {@code
     * nowNanos}, so that the callers of a long-lived budget (one per run) are not kept for ever.
     */
    void holdOthersUntil(Object holder, long untilNanos, long nowNanos) {
        othersHeldUntil.values().removeIf(until -> until - nowNanos <= 0);
        othersHeldUntil.merge(holder, untilNanos, Spacing::later);
    }

    /**
     * The time CoinGecko asked for no call of {@code caller}'s before, as last set ({@link System#nanoTime} terms;
     * may be past): the hold for every caller, or a later one another caller's {@code Retry-After} set.
     */
    long heldUntil(Object caller) {
        long held = heldUntil.get();
        for (Map.Entry<Object, Long> hold : othersHeldUntil.entrySet()) {
            if (hold.getKey() != caller) {
                held = later(held, hold.getValue());
            }
        }
        return held;
    }

    /**
     * How long from {@code nowNanos} CoinGecko asked for no call of {@code caller}'s for (0: it did not, or that
     * time has passed).
     */
    long heldFor(long nowNanos, Object caller) {
        return Math.max(0, heldUntil(caller) - nowNanos);
    }

    /**
     * Takes the next free time for a call of {@code caller}'s unless CoinGecko asked for no such call for longer
     * than {@code maxHoldNanos} from {@code nowNanos}: returns how long to wait for it (0: none), or -1, taking
     * nothing, if so held.
     */
    long reserve(long nowNanos, long maxHoldNanos, Object caller) {
        while (true) {
            long held = heldUntil(caller);
            if (held - nowNanos > maxHoldNanos) {
                return -1;
            }
            long next = nextFree.get();
            long at = later(next, later(held, nowNanos));
            if (nextFree.compareAndSet(next, at + slotNanos.get())) {
                return at - nowNanos;
            }
        }
    }

    /** The later of two {@link System#nanoTime} values, which may wrap: compared by their difference. */
    private static long later(long a, long b) {
        return a - b > 0 ? a : b;
    }
}
