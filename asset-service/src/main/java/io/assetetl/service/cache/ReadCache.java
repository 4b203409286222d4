package io.assetetl.service.cache;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.assetetl.query.SummaryChanges;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Answers that were read from the asset summaries, kept until the summaries change: it hears of every change from
 * {@link SummaryChanges}, so a kept answer is never older than the last change PostgreSQL has delivered. While
 * nothing listens (before the first connection, or after one was lost) every read goes to the database.
 *
 * <p>Each answer is kept under the generation it was read in; a change starts a new generation, so an answer read
 * while a change was committing is never handed out after that change was heard, even if it is stored afterwards.
 * A change is heard a moment after its commit (as long as one network round trip), during which a reader may
 * still be handed the answer from before it, as if its request had come in that moment earlier.
 *
 * @param <K> what identifies an answer (its request)
 * @param <V> the answer
 */
public final class ReadCache<K, V> implements SummaryChanges.Listener {

    private record Key<K>(long generation, K request) {
    }

    private final Cache<Key<K>, V> answers;
    private final AtomicLong generation = new AtomicLong();
    private volatile boolean listening;

    /**
     * @param maxWeight the most weight kept, evicting the least used beyond it
     * @param maxAge    how long an answer is kept at most, for changes made without the library (which notifies)
     * @param weigher   an answer's weight, such as its size in bytes
     */
    public ReadCache(long maxWeight, Duration maxAge, ToIntFunction<V> weigher) {
        requireNonNull(weigher, "weigher is null");
        this.answers = Caffeine.newBuilder()
                .maximumWeight(maxWeight)
                .weigher((Key<K> key, V value) -> weigher.applyAsInt(value))
                .expireAfterWrite(requireNonNull(maxAge, "maxAge is null"))
                .recordStats()
                .build();
    }

    /** The answer kept for {@code request}, else the one {@code reader} reads now (kept if nothing changed since). */
    public V get(K request, Supplier<V> reader) {
        requireNonNull(request, "request is null");
        if (!listening) {
            return reader.get();
        }
        Key<K> key = new Key<>(generation.get(), request);
        V answer = answers.getIfPresent(key);
        if (answer == null) {
            // read outside the cache's own locks: a slow database holds up only the requests that wait for it
            answer = reader.get();
            answers.put(key, answer);
            if (generation.get() != key.generation()) {
                answers.invalidate(key); // read in a generation that has since ended: nobody may be handed it
            }
        }
        return answer;
    }

    /** Whether answers are kept now, that is whether changes are being heard. */
    public boolean isListening() {
        return listening;
    }

    public CacheStats stats() {
        return answers.stats();
    }

    @Override
    public void listening() {
        forgetAll();
        listening = true;
    }

    @Override
    public void changed() {
        forgetAll();
    }

    @Override
    public void lost(Exception cause) {
        listening = false;
        forgetAll();
    }

    private void forgetAll() {
        generation.incrementAndGet();
        answers.invalidateAll();
    }
}
