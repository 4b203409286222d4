package io.assetetl.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.ConfigurationSourceProvider;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.ResourceConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.logging.common.AbstractAppenderFactory;
import io.dropwizard.logging.common.AppenderFactory;
import io.dropwizard.logging.common.DefaultLoggingFactory;
import io.dropwizard.logging.json.AccessJsonLayoutBaseFactory;
import io.dropwizard.logging.json.EventJsonLayoutBaseFactory;
import io.dropwizard.request.logging.LogbackAccessRequestLogFactory;
import io.dropwizard.core.server.AbstractServerFactory;
import jakarta.validation.Validator;
import java.io.IOException;
import java.util.Map;
import org.apache.commons.text.StringSubstitutor;

/**
 * Reads the configuration file when one is given and the bundled {@value #BUNDLED} when none is, so that every
 * command runs with no file at all. Then applies {@code logFormat}, which decides the layout of every log appender.
 */
final class BundledConfigurationFactory extends YamlConfigurationFactory<AssetServiceConfiguration> {

    static final String BUNDLED = "io/assetetl/service/asset-service.yml";

    BundledConfigurationFactory(Class<AssetServiceConfiguration> klass, Validator validator, ObjectMapper mapper,
            String propertyPrefix) {
        super(klass, validator, mapper, propertyPrefix);
    }

    /** Environment variables in {@code ${NAME:-default}} form are replaced in any configuration read. */
    static ConfigurationSourceProvider substituting(ConfigurationSourceProvider provider) {
        return new SubstitutingSourceProvider(provider, substitutor(System.getenv()));
    }

    /**
     * Replaces {@code ${NAME:-default}} with the variable of {@code environment}, or the default when it is unset
     * or blank: a {@code .env} line {@code ETL_INTERVAL=} means the default, as it does to Docker Compose, rather than
     * an empty setting ({@code etlInterval} read as off, {@code PORT} as no number).
     */
    static StringSubstitutor substitutor(Map<String, String> environment) {
        EnvironmentVariableSubstitutor substitutor = new EnvironmentVariableSubstitutor(false);
        substitutor.setVariableResolver(name -> {
            String value = environment.get(name);
            return value == null || value.isBlank() ? null : value;
        });
        return substitutor;
    }

    @Override
    public AssetServiceConfiguration build() throws IOException, ConfigurationException {
        return build(substituting(new ResourceConfigurationSourceProvider()), BUNDLED);
    }

    @Override
    public AssetServiceConfiguration build(ConfigurationSourceProvider provider, String path)
            throws IOException, ConfigurationException {
        AssetServiceConfiguration configuration = super.build(provider, path);
        if (configuration.getLogFormat().equals("json")) {
            useJsonLayouts(configuration);
        } else {
            nameTheRunInTextLines(configuration);
        }
        return configuration;
    }

    /**
     * Text log lines written during a run name its source and id, as JSON lines do with their MDC: with two sources
     * running at once (the scheduler starts them together), {@code run started} and {@code run succeeded: ...} did
     * not say whose they were. Dropwizard's own layout otherwise, and only for appenders given no {@code logFormat}.
     */
    @SuppressWarnings("rawtypes")
    private static void nameTheRunInTextLines(AssetServiceConfiguration configuration) {
        if (configuration.getLoggingFactory() instanceof DefaultLoggingFactory logging) {
            for (AppenderFactory<?> appender : logging.getAppenders()) {
                if (appender instanceof AbstractAppenderFactory factory && factory.getLogFormat() == null) {
                    factory.setLogFormat("%-5p [%d{ISO8601," + factory.getTimeZone().getID() + "}] %c: "
                            // "[csv 0e27…] " during a run, nothing outside one
                            + "%replace([%X{source} %X{run_id}] ){'^\\[ \\] $', ''}%m%n%dwREx");
                }
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void useJsonLayouts(AssetServiceConfiguration configuration) {
        if (configuration.getLoggingFactory() instanceof DefaultLoggingFactory logging) {
            for (AppenderFactory<?> appender : logging.getAppenders()) {
                if (appender instanceof AbstractAppenderFactory factory) {
                    factory.setLayout(new EventJsonLayoutBaseFactory());
                }
            }
        }
        if (configuration.getServerFactory() instanceof AbstractServerFactory server
                && server.getRequestLogFactory() instanceof LogbackAccessRequestLogFactory requests) {
            for (AppenderFactory<?> appender : requests.getAppenders()) {
                if (appender instanceof AbstractAppenderFactory factory) {
                    factory.setLayout(new AccessJsonLayoutBaseFactory());
                }
            }
        }
    }
}
