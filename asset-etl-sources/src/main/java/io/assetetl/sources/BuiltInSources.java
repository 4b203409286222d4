package io.assetetl.sources;

import io.assetetl.run.SourceDefinition;
import io.assetetl.spi.SourceConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The three built-in sources — {@code csv}, {@code csv_weird} and {@code coingecko}, each named after its type —
 * configured from environment variables:
 *
 * <table>
 *   <caption>environment → setting</caption>
 *   <tr><td>{@code CSV_SOURCE_PATH}</td><td>{@code csv.path}</td></tr>
 *   <tr><td>{@code CSV_WEIRD_SOURCE_PATH}</td><td>{@code csv_weird.path}</td></tr>
 *   <tr><td>{@code COINGECKO_BASE_URL}</td><td>{@code coingecko.base_url}</td></tr>
 *   <tr><td>{@code COINGECKO_API_KEY}</td><td>{@code coingecko.api_key}</td></tr>
 *   <tr><td>{@code COINGECKO_RATE_LIMIT_PER_MINUTE}</td><td>{@code coingecko.rate_limit_per_minute}</td></tr>
 *   <tr><td>{@code COINGECKO_PAGES}</td><td>{@code coingecko.pages}</td></tr>
 *   <tr><td>{@code COINGECKO_PER_PAGE}</td><td>{@code coingecko.per_page}</td></tr>
 * </table>
 *
 * Unset or blank variables leave the setting out, so each source type's own default applies.
 */
public final class BuiltInSources {

    public static final String CSV = "csv";
    public static final String CSV_WEIRD = "csv_weird";
    public static final String COINGECKO = "coingecko";
    /** The names of the built-in sources. */
    public static final Set<String> NAMES = Set.of(CSV, CSV_WEIRD, COINGECKO);

    private BuiltInSources() {
    }

    /** The built-in sources configured from {@code env} (usually {@link System#getenv()}). */
    public static List<SourceDefinition> fromEnvironment(Map<String, String> env) {
        return List.of(
                SourceDefinition.of(CSV, CSV, settings(env, Map.of("CSV_SOURCE_PATH", "path"))),
                SourceDefinition.of(CSV_WEIRD, CSV_WEIRD, settings(env, Map.of("CSV_WEIRD_SOURCE_PATH", "path"))),
                SourceDefinition.of(COINGECKO, COINGECKO, settings(env, Map.of(
                        "COINGECKO_BASE_URL", "base_url",
                        "COINGECKO_API_KEY", "api_key",
                        "COINGECKO_RATE_LIMIT_PER_MINUTE", "rate_limit_per_minute",
                        "COINGECKO_PAGES", "pages",
                        "COINGECKO_PER_PAGE", "per_page"))));
    }

    private static SourceConfig settings(Map<String, String> env, Map<String, String> variables) {
        Map<String, String> settings = new LinkedHashMap<>();
        variables.forEach((variable, key) -> {
            String value = env.get(variable);
            if (value != null && !value.isBlank()) {
                settings.put(key, value.trim());
            }
        });
        return SourceConfig.of(settings);
    }
}
