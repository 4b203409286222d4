package io.assetetl.sources.csv;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetetl.run.SourceDefinition;
import io.assetetl.sources.BuiltInSources;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuiltInSourcesTest {

    @Test
    void definesTheThreeBuiltInSourcesNamedAfterTheirTypes() {
        List<SourceDefinition> sources = BuiltInSources.fromEnvironment(Map.of());

        assertThat(sources).extracting(SourceDefinition::name).containsExactly("csv", "csv_weird", "coingecko");
        assertThat(sources).allSatisfy(s -> {
            assertThat(s.type()).isEqualTo(s.name());
            assertThat(s.enabled()).isTrue();
            assertThat(s.config().settings()).isEmpty();
        });
    }

    @Test
    void takesEachSettingFromItsEnvironmentVariable() {
        Map<String, String> env = Map.of(
                "CSV_SOURCE_PATH", "/data/a.csv",
                "CSV_WEIRD_SOURCE_PATH", " /data/w.csv ",
                "COINGECKO_BASE_URL", "http://localhost:9999/api/v3",
                "COINGECKO_API_KEY", "secret-key",
                "COINGECKO_RATE_LIMIT_PER_MINUTE", "10",
                "COINGECKO_PAGES", "2",
                "COINGECKO_PER_PAGE", "50",
                "UNRELATED", "x");

        List<SourceDefinition> sources = BuiltInSources.fromEnvironment(env);

        assertThat(sources.get(0).config().settings()).isEqualTo(Map.of("path", "/data/a.csv"));
        assertThat(sources.get(1).config().settings()).isEqualTo(Map.of("path", "/data/w.csv"));
        assertThat(sources.get(2).config().settings()).isEqualTo(Map.of(
                "base_url", "http://localhost:9999/api/v3",
                "api_key", "secret-key",
                "rate_limit_per_minute", "10",
                "pages", "2",
                "per_page", "50"));
        assertThat(sources.get(2).config().toString()).doesNotContain("secret-key");
    }

    @Test
    void leavesBlankVariablesOutSoThatDefaultsApply() {
        List<SourceDefinition> sources = BuiltInSources.fromEnvironment(Map.of("CSV_SOURCE_PATH", "  ",
                "COINGECKO_PAGES", ""));

        assertThat(sources.get(0).config().settings()).isEmpty();
        assertThat(sources.get(2).config().settings()).isEmpty();
    }
}
