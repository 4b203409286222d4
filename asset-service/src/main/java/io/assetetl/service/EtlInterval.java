package io.assetetl.service;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * How often the scheduler runs every enabled source: an ISO-8601 duration such as {@code PT15M}, or {@code off}.
 */
public final class EtlInterval {

    public static final EtlInterval OFF = new EtlInterval(null);

    /** The shortest interval: a shorter one starts runs back to back, hundreds a minute, each a row of the ledger. */
    public static final Duration MINIMUM = Duration.ofSeconds(1);

    /** The setting as its errors name it: what it is, its name in a configuration file and in the environment. */
    private static final String SETTING = "ETL interval (etlInterval, ETL_INTERVAL)";
    private static final String MUST_BE_A_DURATION = SETTING + " must be an ISO-8601 duration such as PT15M, or off";

    private final Duration every;

    private EtlInterval(Duration every) {
        this.every = every;
    }

    @JsonCreator
    public static EtlInterval parse(String text) {
        String value = text == null ? "" : text.strip();
        if (value.isEmpty() || value.toLowerCase(Locale.ROOT).equals("off")) {
            return OFF;
        }
        Duration every;
        try {
            every = Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(MUST_BE_A_DURATION + ": " + value);
        }
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException(SETTING + " must be positive: " + value);
        }
        if (every.compareTo(MINIMUM) < 0) {
            throw new IllegalArgumentException(SETTING + " must be at least " + MINIMUM + ": " + value);
        }
        return new EtlInterval(every);
    }

    /** YAML reads an unquoted {@code off} as {@code false}: that means off too. */
    @JsonCreator
    public static EtlInterval fromBoolean(boolean enabled) {
        if (enabled) {
            throw new IllegalArgumentException(MUST_BE_A_DURATION);
        }
        return OFF;
    }

    /** Empty when scheduled runs are off. */
    public Optional<Duration> every() {
        return Optional.ofNullable(every);
    }

    @JsonValue
    @Override
    public String toString() {
        return every == null ? "off" : every.toString();
    }
}
