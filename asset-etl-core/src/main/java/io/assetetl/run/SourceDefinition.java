package io.assetetl.run;

import static java.util.Objects.requireNonNull;

import io.assetetl.spi.SourceConfig;

/**
 * A configured source: its name (what users type), the factory type that builds it, and its settings.
 */
public record SourceDefinition(String name, String type, SourceConfig config, boolean enabled) {

    public SourceDefinition {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(config, "config is null");
        requireValidName(name);
    }

    /**
     * {@code name} when it can name a source: a lower-case letter, then lower-case letters, digits, '_' or '-'.
     *
     * @throws IllegalArgumentException otherwise, saying so
     */
    public static String requireValidName(String name) {
        if (!name.matches("[a-z][a-z0-9_\\-]*")) {
            throw new IllegalArgumentException("source name must be a lower-case letter, then lower-case letters,"
                    + " digits, '_' or '-': " + name);
        }
        return name;
    }

    public static SourceDefinition of(String name, String type, SourceConfig config) {
        return new SourceDefinition(name, type, config, true);
    }
}
