package io.assetetl.service.cache;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;

/**
 * The {@code readCache} setting: whether {@code GET /data} keeps the pages it read until the asset summaries change,
 * how much it keeps, and for how long at most.
 *
 * @param enabled whether pages are kept (default true)
 * @param maxSize the most they take, as their encoded JSON (default 32 MiB)
 * @param maxAge  how long a page is kept at most (default 5 minutes), which only matters when the tables are changed
 *                without the library, which tells every service of its changes
 */
public record ReadCacheSettings(
        @JsonProperty("enabled") Boolean enabled,
        @JsonProperty("maxSize") DataSize maxSize,
        @JsonProperty("maxAge") Duration maxAge) {

    public ReadCacheSettings {
        enabled = enabled == null || enabled;
        maxSize = maxSize == null ? DataSize.mebibytes(32) : maxSize;
        maxAge = maxAge == null ? Duration.minutes(5) : maxAge;
        if (maxSize.toBytes() <= 0) {
            throw new IllegalArgumentException("readCache.maxSize must be more than 0 bytes: " + maxSize);
        }
        if (maxAge.toNanoseconds() <= 0) {
            throw new IllegalArgumentException("readCache.maxAge must be longer than 0: " + maxAge);
        }
    }

    public static ReadCacheSettings defaults() {
        return new ReadCacheSettings(null, null, null);
    }

    /** A cache of these settings; {@code weigher} gives an answer's size in bytes. */
    public <K, V> ReadCache<K, V> build(java.util.function.ToIntFunction<V> weigher) {
        return new ReadCache<>(maxSize.toBytes(), maxAge.toJavaDuration(), weigher);
    }
}
