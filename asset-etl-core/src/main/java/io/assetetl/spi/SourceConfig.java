package io.assetetl.spi;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The settings of one configured source: string keys and values, as they come from YAML or the environment.
 */
public record SourceConfig(Map<String, String> settings) {

    public SourceConfig {
        settings = Map.copyOf(settings);
    }

    public static SourceConfig of(Map<String, String> settings) {
        return new SourceConfig(settings);
    }

    public static SourceConfig empty() {
        return new SourceConfig(Map.of());
    }

    /** This configuration with {@code overrides} replacing same-named settings. */
    public SourceConfig with(Map<String, String> overrides) {
        Map<String, String> merged = new LinkedHashMap<>(settings);
        merged.putAll(overrides);
        return new SourceConfig(merged);
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(settings.get(key)).map(String::trim).filter(v -> !v.isEmpty());
    }

    public String require(String key) {
        return get(key).orElseThrow(() -> new InvalidSourceConfigException("setting '" + key + "' is required"));
    }

    public String get(String key, String defaultValue) {
        return get(key).orElse(defaultValue);
    }

    public int getInt(String key, int defaultValue) {
        return get(key).map(v -> {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new InvalidSourceConfigException("setting '" + key + "' is not a whole number: " + v);
            }
        }).orElse(defaultValue);
    }

    public double getDouble(String key, double defaultValue) {
        return get(key).map(v -> {
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new InvalidSourceConfigException("setting '" + key + "' is not a number: " + v);
            }
        }).orElse(defaultValue);
    }

    public Duration getDuration(String key, Duration defaultValue) {
        return get(key).map(v -> {
            try {
                return Duration.parse(v);
            } catch (DateTimeParseException e) {
                throw new InvalidSourceConfigException("setting '" + key + "' is not an ISO-8601 duration: " + v);
            }
        }).orElse(defaultValue);
    }

    /** Hides values of secret-looking keys, so that a configuration can be logged. */
    @Override
    public String toString() {
        Map<String, String> shown = new LinkedHashMap<>();
        settings.forEach((k, v) -> shown.put(k, k.matches("(?i).*(key|token|password|secret).*") ? "***" : v));
        return "SourceConfig" + shown;
    }
}
