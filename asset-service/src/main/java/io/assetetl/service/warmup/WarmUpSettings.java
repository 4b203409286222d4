package io.assetetl.service.warmup;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;

/**
 * The {@code warmUp} setting: how many of the read path's requests the service sends itself before it takes its
 * first connection (see {@link WarmUp}).
 *
 * @param requests         how many at most (default 0: none); each is a {@code GET /data} or
 *                         {@code GET /assets/{symbol}}
 * @param threads          how many are in flight at once (default 2)
 * @param maxDuration      how long warming up may take at most, whatever is left unsent (default 60 seconds)
 * @param stopWhenCompiled whether to stop early, once the JIT compilers have had nothing left to compile for two
 *                         seconds under the warm-up's load (default true)
 */
public record WarmUpSettings(
        @JsonProperty("requests") Integer requests,
        @JsonProperty("threads") Integer threads,
        @JsonProperty("maxDuration") Duration maxDuration,
        @JsonProperty("stopWhenCompiled") Boolean stopWhenCompiled) {

    public WarmUpSettings {
        requests = requests == null ? 0 : requests;
        threads = threads == null ? 2 : threads;
        maxDuration = maxDuration == null ? Duration.seconds(60) : maxDuration;
        stopWhenCompiled = stopWhenCompiled == null || stopWhenCompiled;
        if (requests < 0) {
            throw new IllegalArgumentException("warmUp.requests (WARM_UP_REQUESTS) must be 0 or more: " + requests);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("warmUp.threads must be 1 or more: " + threads);
        }
        if (maxDuration.toNanoseconds() <= 0) {
            throw new IllegalArgumentException("warmUp.maxDuration must be longer than 0: " + maxDuration);
        }
    }

    public static WarmUpSettings off() {
        return new WarmUpSettings(null, null, null, null);
    }

    public boolean enabled() {
        return requests > 0;
    }
}
