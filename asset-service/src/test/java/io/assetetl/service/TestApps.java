package io.assetetl.service;

import io.dropwizard.core.Application;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The real application, on the bundled default configuration, with a given environment and overrides. */
final class TestApps {

    static final String ADMIN_TOKEN = "test-admin-token-7f3a";
    static final Path CSV = Path.of("..", "examples", "data", "assets.csv").toAbsolutePath().normalize();
    static final Path CSV_WEIRD = Path.of("..", "examples", "data", "assets_weird.csv").toAbsolutePath().normalize();

    private TestApps() {
    }

    /**
     * Without the bundled warm-up unless {@code overrides} set {@code warmUp.requests} (two overrides of one setting
     * would not be applied in a fixed order).
     *
     * @param sourceEnvironment what the built-in sources read (CSV_SOURCE_PATH, COINGECKO_BASE_URL, ...)
     * @param overrides   configuration settings, as {@code path=value}
     */
    static DropwizardTestSupport<AssetServiceConfiguration> support(Map<String, String> sourceEnvironment,
            String jdbcUrl, String user, String... overrides) {
        List<ConfigOverride> all = new ArrayList<>(List.of(
                ConfigOverride.config("database.url", jdbcUrl),
                ConfigOverride.config("database.user", user),
                ConfigOverride.config("database.password", ""),
                ConfigOverride.config("etlInterval", "off"),
                ConfigOverride.config("server.applicationConnectors[0].port", "0"),
                ConfigOverride.config("server.adminConnectors[0].port", "0")));
        boolean warmUpSet = false;
        boolean levelSet = false;
        for (String override : overrides) {
            int eq = override.indexOf('=');
            all.add(ConfigOverride.config(override.substring(0, eq), override.substring(eq + 1)));
            warmUpSet |= override.startsWith("warmUp.requests=");
            levelSet |= override.startsWith("logging.level=");
        }
        if (!warmUpSet) {
            all.add(ConfigOverride.config("warmUp.requests", "0"));
        }
        if (!levelSet) {
            // a second override of the same key does not replace the first
            all.add(ConfigOverride.config("logging.level", "WARN"));
        }
        return new DropwizardTestSupport<>(AssetServiceApplication.class, (String) null,
                all.toArray(ConfigOverride[]::new)) {
            @Override
            public Application<AssetServiceConfiguration> newApplication() {
                return new AssetServiceApplication(sourceEnvironment);
            }
        };
    }

    static Map<String, String> environment(String coinGeckoBaseUrl) {
        return Map.of(
                "CSV_SOURCE_PATH", CSV.toString(),
                "CSV_WEIRD_SOURCE_PATH", CSV_WEIRD.toString(),
                "COINGECKO_BASE_URL", coinGeckoBaseUrl,
                "COINGECKO_PAGES", "1",
                "COINGECKO_PER_PAGE", "100",
                "COINGECKO_RATE_LIMIT_PER_MINUTE", "6000");
    }
}
