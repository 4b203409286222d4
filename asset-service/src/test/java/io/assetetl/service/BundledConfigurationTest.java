package io.assetetl.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.ResourceConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.dropwizard.jetty.HttpConnectorFactory;
import io.dropwizard.logging.common.ConsoleAppenderFactory;
import io.dropwizard.logging.common.DefaultLoggingFactory;
import io.dropwizard.logging.json.EventJsonLayoutBaseFactory;
import io.assetetl.run.SourceDefinition;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.commons.text.StringSubstitutor;
import org.junit.jupiter.api.Test;

/** The bundled configuration and {@code config.example.yml}, filled from a given environment. */
class BundledConfigurationTest {

    private static AssetServiceConfiguration bundled(Map<String, String> env) throws Exception {
        return factory().build(new SubstitutingSourceProvider(new ResourceConfigurationSourceProvider(),
                substitutor(env)), BundledConfigurationFactory.BUNDLED);
    }

    private static BundledConfigurationFactory factory() {
        return new BundledConfigurationFactory(AssetServiceConfiguration.class, Validators.newValidator(),
                Jackson.newObjectMapper(), "test-unused");
    }

    private static StringSubstitutor substitutor(Map<String, String> env) {
        return BundledConfigurationFactory.substitutor(env);
    }

    @Test
    void withNoEnvironmentEverySettingHasItsDocumentedDefault() throws Exception {
        AssetServiceConfiguration config = bundled(Map.of());

        assertThat(config.getDataSourceFactory().getUrl()).isEqualTo(EmbeddedDatabaseFallback.EMBEDDED);
        assertThat(config.getDataSourceFactory().getUser()).isEmpty();
        // the server's pool, opened whole at start and kept open (commands open 2 of it at most)
        assertThat(config.getDataSourceFactory().getInitialSize()).isEqualTo(16);
        assertThat(config.getDataSourceFactory().getMinSize()).isEqualTo(16);
        assertThat(config.getDataSourceFactory().getMaxSize()).isEqualTo(16);
        assertThat(config.getHome()).isEqualTo("./data");
        assertThat(config.adminToken()).isEmpty();
        assertThat(config.getEtlInterval().every()).contains(Duration.ofMinutes(15));
        assertThat(config.getFailAfterRecords()).isNull();
        assertThat(config.getDivergenceThreshold()).isEqualByComparingTo(new BigDecimal("0.05"));
        assertThat(config.getLogFormat()).isEqualTo("text");
        assertThat(config.getWarmUp().requests()).isEqualTo(200_000);
        assertThat(config.getWarmUp().stopWhenCompiled()).isTrue();
        DefaultServerFactory server = (DefaultServerFactory) config.getServerFactory();
        assertThat(((HttpConnectorFactory) server.getApplicationConnectors().get(0)).getPort()).isEqualTo(8080);
        assertThat(((HttpConnectorFactory) server.getAdminConnectors().get(0)).getPort()).isEqualTo(8081);
    }

    @Test
    void aBlankVariableMeansItsDefaultAsAnUnsetOneDoes() throws Exception {
        AssetServiceConfiguration config = bundled(Map.of("ETL_INTERVAL", "", "PORT", " ", "LOG_FORMAT", "",
                "DATABASE_URL", ""));

        assertThat(config.getEtlInterval().every()).contains(Duration.ofMinutes(15));
        DefaultServerFactory server = (DefaultServerFactory) config.getServerFactory();
        assertThat(((HttpConnectorFactory) server.getApplicationConnectors().get(0)).getPort()).isEqualTo(8080);
        assertThat(config.getLogFormat()).isEqualTo("text");
        assertThat(config.getDataSourceFactory().getUrl()).isEqualTo(EmbeddedDatabaseFallback.EMBEDDED);
    }

    @Test
    void environmentVariablesOfTheContractFillTheSettings() throws Exception {
        AssetServiceConfiguration config = bundled(Map.of(
                "DATABASE_URL", "jdbc:postgresql://db:5432/assets?ssl=true&sslmode=require",
                "DATABASE_USER", "etl",
                "DATABASE_PASSWORD", "p#ss: 'w\"rd' {x}",
                "ASSET_ETL_HOME", "/var/lib/asset-etl",
                "ADMIN_TOKEN", "tok: #1",
                "ETL_INTERVAL", "off",
                "ETL_FAIL_AFTER_RECORDS", "1000",
                "PORT", "9000",
                "ADMIN_PORT", "9001",
                "LOG_FORMAT", "json"));

        assertThat(config.getDataSourceFactory().getUrl())
                .isEqualTo("jdbc:postgresql://db:5432/assets?ssl=true&sslmode=require");
        assertThat(config.getDataSourceFactory().getUser()).isEqualTo("etl");
        assertThat(config.getDataSourceFactory().getPassword()).isEqualTo("p#ss: 'w\"rd' {x}");
        assertThat(config.embeddedDatabaseDirectory().toString()).isEqualTo("/var/lib/asset-etl/postgres");
        assertThat(config.adminToken()).contains("tok: #1");
        assertThat(config.getEtlInterval().every()).isEmpty();
        assertThat(config.getFailAfterRecords()).isEqualTo(1000L);
        DefaultServerFactory server = (DefaultServerFactory) config.getServerFactory();
        assertThat(((HttpConnectorFactory) server.getApplicationConnectors().get(0)).getPort()).isEqualTo(9000);
        assertThat(((HttpConnectorFactory) server.getAdminConnectors().get(0)).getPort()).isEqualTo(9001);
    }

    @Test
    void warmUpRequestsComeFromTheEnvironmentAndZeroTurnsItOff() throws Exception {
        assertThat(bundled(Map.of("WARM_UP_REQUESTS", "500")).getWarmUp().requests()).isEqualTo(500);
        assertThat(bundled(Map.of("WARM_UP_REQUESTS", "0")).getWarmUp().enabled()).isFalse();
    }

    @Test
    void jsonLogFormatSwitchesEveryConsoleAppenderToJson() throws Exception {
        AssetServiceConfiguration config = bundled(Map.of("LOG_FORMAT", "JSON"));

        assertThat(config.getLogFormat()).isEqualTo("json");
        DefaultLoggingFactory logging = (DefaultLoggingFactory) config.getLoggingFactory();
        assertThat(logging.getAppenders()).isNotEmpty().allSatisfy(appender ->
                assertThat(((ConsoleAppenderFactory<?>) appender).getLayout())
                        .isInstanceOf(EventJsonLayoutBaseFactory.class));
    }

    @Test
    void exampleConfigurationParsesToTheSameSettings() throws Exception {
        AssetServiceConfiguration example = factory().build(new SubstitutingSourceProvider(
                new FileConfigurationSourceProvider(), substitutor(Map.of())), "config.example.yml");
        AssetServiceConfiguration bundled = bundled(Map.of());

        assertThat(example.getDataSourceFactory().getUrl()).isEqualTo(bundled.getDataSourceFactory().getUrl());
        assertThat(example.getDataSourceFactory().getInitialSize())
                .isEqualTo(bundled.getDataSourceFactory().getInitialSize());
        assertThat(example.getEtlInterval()).hasToString(bundled.getEtlInterval().toString());
        assertThat(example.getHome()).isEqualTo(bundled.getHome());
        assertThat(example.getWarmUp()).isEqualTo(bundled.getWarmUp());
        assertThat(example.getSources()).isEmpty();
    }

    @Test
    void sourceSettingsChangeBuiltInSourcesAndAddNewOnes() {
        AssetServiceConfiguration config = new AssetServiceConfiguration();
        config.setSources(Map.of(
                "csv", new SourceSettings(null, false, Map.of("path", "/srv/a.csv")),
                "desk_feed", new SourceSettings("csv", null, Map.of("path", "/srv/desk.csv"))));

        List<SourceDefinition> sources = config.sourceDefinitions(Map.of("CSV_SOURCE_PATH", "/env/a.csv",
                "COINGECKO_API_KEY", "k"));

        SourceDefinition csv = sources.stream().filter(s -> s.name().equals("csv")).findFirst().orElseThrow();
        assertThat(csv.enabled()).isFalse();
        assertThat(csv.config().get("path")).contains("/srv/a.csv");
        SourceDefinition desk = sources.stream().filter(s -> s.name().equals("desk_feed")).findFirst().orElseThrow();
        assertThat(desk.type()).isEqualTo("csv");
        assertThat(desk.enabled()).isTrue();
        assertThat(sources).extracting(SourceDefinition::name)
                .containsExactlyInAnyOrder("csv", "csv_weird", "coingecko", "desk_feed");
    }
}
