package io.assetetl.run;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * A request to run one source once.
 *
 * @param source    the configured source name
 * @param overrides settings that replace the source's configured ones for this run only (for example
 *                  {@code path} for {@code ingest csv --file PATH})
 */
public record RunRequest(String source, Map<String, String> overrides) {

    public RunRequest {
        requireNonNull(source, "source is null");
        overrides = Map.copyOf(overrides);
    }

    public static RunRequest of(String source) {
        return new RunRequest(source, Map.of());
    }

    public RunRequest withSetting(String key, String value) {
        var copy = new java.util.HashMap<>(overrides);
        copy.put(key, value);
        return new RunRequest(source, copy);
    }
}
