package io.assetetl.run;

import static java.util.Objects.requireNonNull;

import io.assetetl.spi.SourceConfig;

/**
 * A configured source: its name (what users type), the factory type that builds it, and its settings.
 *
 * @param enabled whether a scheduler (the service's) runs it by itself; the library runs a source asked for by
 *                name ({@code AssetEtl.run}, {@code start}, {@code reprocess}) whether enabled or not
 */
public record SourceDefinition(String name, String type, SourceConfig config, boolean enabled) {

    public SourceDefinition {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(config, "config is null");
        requireValidName(name);
    }

    /**
     * The longest source name, in characters: what a user types, and a key of the run ledger and of every table of
     * the source's rows, beside a record key of up to 512 characters in one index entry, which PostgreSQL limits to
     * about 2,700 bytes (a name of thousands of characters failed every run of its source).
     */
    public static final int MAX_NAME_LENGTH = 64;

    /**
     * {@code name} when it can name a source: a lower-case letter, then lower-case letters, digits, '_' or '-', at
     * most {@value #MAX_NAME_LENGTH} characters in all.
     *
     * @throws IllegalArgumentException otherwise, saying so
     */
    public static String requireValidName(String name) {
        if (name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("source name must be at most " + MAX_NAME_LENGTH + " characters long;"
                    + " this one has " + name.length() + ": '" + (name.length() <= 80 ? name
                    : name.substring(0, 80) + "…") + "'");
        }
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
