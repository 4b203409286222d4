package io.assetetl.service;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.assetetl.AssetEtl;
import io.assetetl.run.EtlMetrics;
import io.assetetl.run.SourceDefinition;
import io.assetetl.service.cache.ReadCacheSettings;
import io.assetetl.service.warmup.WarmUpSettings;
import io.assetetl.sources.BuiltInSources;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The service's settings. Every one has a default, and the bundled {@code asset-service.yml} fills them from the
 * environment variables of the contract (see {@code config.example.yml} for the full list).
 */
public class AssetServiceConfiguration extends Configuration {

    private static final String POSTGRESQL_JDBC_PREFIX = "jdbc:postgresql:";

    @Valid
    @NotNull
    private DataSourceFactory database = new DataSourceFactory();

    @NotNull
    private String home = "./data";

    private String adminToken;

    @NotNull
    private EtlInterval etlInterval = EtlInterval.parse("PT15M");

    @Min(0)
    private Long failAfterRecords;

    @NotNull
    @DecimalMin("0")
    private BigDecimal divergenceThreshold = new BigDecimal("0.05");

    @NotNull
    private String logFormat = "text";

    @NotNull
    private Map<String, SourceSettings> sources = Map.of();

    @NotNull
    private Map<String, String> identityPins = Map.of();

    @NotNull
    private ReadCacheSettings readCache = ReadCacheSettings.defaults();

    private WarmUpSettings warmUp = WarmUpSettings.off();

    @JsonIgnore
    private EmbeddedDatabaseFallback embeddedDatabase;

    @JsonProperty("database")
    public DataSourceFactory getDataSourceFactory() {
        return database;
    }

    @JsonProperty("database")
    public void setDataSourceFactory(DataSourceFactory database) {
        this.database = database;
    }

    /**
     * Whether the database URL is one the service can use: a PostgreSQL JDBC URL, or {@code embedded}. Anything else
     * (a {@code postgresql://user:password@host/db} URI, another database's URL) is refused before a connection is
     * tried, with a message that does not repeat the URL: it may hold a password, and the pool's own error for it
     * printed it whole.
     */
    @JsonIgnore
    @ValidationMethod(message = "the database URL (DATABASE_URL) must be a PostgreSQL JDBC URL such as "
            + "jdbc:postgresql://host:5432/database, or unset for the embedded PostgreSQL")
    public boolean isDatabaseUrlSupported() {
        String url = database.getUrl() == null ? "" : database.getUrl().strip();
        return url.equals(EmbeddedDatabaseFallback.EMBEDDED) || url.startsWith(POSTGRESQL_JDBC_PREFIX);
    }

    void attachEmbeddedDatabase(EmbeddedDatabaseFallback fallback) {
        this.embeddedDatabase = fallback;
    }

    /** The embedded database started for this configuration, if one was. */
    public Optional<EmbeddedDatabaseFallback> embeddedDatabase() {
        return Optional.ofNullable(embeddedDatabase);
    }

    /** The local state folder ({@code ASSET_ETL_HOME}): the embedded database lives in its {@code postgres}. */
    @JsonProperty
    public String getHome() {
        return home;
    }

    @JsonProperty
    public void setHome(String home) {
        this.home = home;
    }

    @JsonIgnore
    public Path embeddedDatabaseDirectory() {
        return Path.of(home, "postgres");
    }

    /** The bearer token of mutating endpoints; empty when none is configured. */
    @JsonIgnore
    public Optional<String> adminToken() {
        return adminToken == null || adminToken.isBlank() ? Optional.empty() : Optional.of(adminToken.strip());
    }

    @JsonProperty
    public void setAdminToken(String adminToken) {
        this.adminToken = adminToken;
    }

    @JsonProperty
    public EtlInterval getEtlInterval() {
        return etlInterval;
    }

    @JsonProperty
    public void setEtlInterval(EtlInterval etlInterval) {
        this.etlInterval = etlInterval;
    }

    @JsonProperty
    public Long getFailAfterRecords() {
        return failAfterRecords;
    }

    @JsonProperty
    public void setFailAfterRecords(Long failAfterRecords) {
        this.failAfterRecords = failAfterRecords;
    }

    @JsonProperty
    public BigDecimal getDivergenceThreshold() {
        return divergenceThreshold;
    }

    @JsonProperty
    public void setDivergenceThreshold(BigDecimal divergenceThreshold) {
        this.divergenceThreshold = divergenceThreshold;
    }

    /** {@code text} or {@code json} (one JSON object per log line, MDC included). */
    @JsonProperty
    public String getLogFormat() {
        return logFormat;
    }

    @JsonProperty
    public void setLogFormat(String logFormat) {
        String format = logFormat == null || logFormat.isBlank() ? "text" : logFormat.strip().toLowerCase(Locale.ROOT);
        if (!format.equals("text") && !format.equals("json")) {
            throw new IllegalArgumentException("log format must be json or text: " + logFormat);
        }
        this.logFormat = format;
    }

    @JsonProperty
    public Map<String, SourceSettings> getSources() {
        return sources;
    }

    /**
     * @throws IllegalArgumentException for a name that cannot be a source's, or a source that is not built in and
     *                                  has no type: a configuration error, said where the file is read (it was a
     *                                  stack trace once the server started)
     */
    @JsonProperty
    public void setSources(Map<String, SourceSettings> sources) {
        Map<String, SourceSettings> given = sources == null ? Map.of() : sources;
        given.forEach((name, settings) -> {
            SourceDefinition.requireValidName(name);
            if (!BuiltInSources.NAMES.contains(name) && (settings == null || settings.type() == null
                    || settings.type().isBlank())) {
                throw new IllegalArgumentException("source '" + name + "' is not built in, so it needs a type");
            }
        });
        this.sources = given;
    }

    @JsonProperty
    public Map<String, String> getIdentityPins() {
        return identityPins;
    }

    @JsonProperty
    public void setIdentityPins(Map<String, String> identityPins) {
        this.identityPins = identityPins == null ? Map.of() : identityPins;
    }

    /** Whether and how {@code GET /data} keeps the pages it read until the summaries change. */
    @JsonProperty
    public ReadCacheSettings getReadCache() {
        return readCache;
    }

    @JsonProperty
    public void setReadCache(ReadCacheSettings readCache) {
        this.readCache = readCache == null ? ReadCacheSettings.defaults() : readCache;
    }

    /** How many requests the service sends itself before it takes connections (none unless set). */
    @JsonProperty
    public WarmUpSettings getWarmUp() {
        return warmUp;
    }

    @JsonProperty
    public void setWarmUp(WarmUpSettings warmUp) {
        this.warmUp = warmUp == null ? WarmUpSettings.off() : warmUp;
    }

    /**
     * The sources to run: the built-in ones as the environment configures them ({@code CSV_SOURCE_PATH},
     * {@code COINGECKO_*}, ...), changed or extended by the {@code sources} setting.
     */
    public List<SourceDefinition> sourceDefinitions(Map<String, String> environment) {
        Map<String, SourceDefinition> byName = new LinkedHashMap<>();
        BuiltInSources.fromEnvironment(environment).forEach(d -> byName.put(d.name(), d));
        sources.forEach((name, settings) ->
                byName.put(name, settings.applyTo(name, Optional.ofNullable(byName.get(name)))));
        return List.copyOf(byName.values());
    }

    /** Builds the library facade over {@code dataSource} with every setting of this configuration. */
    public AssetEtl buildEtl(DataSource dataSource, EtlMetrics metrics, Map<String, String> environment) {
        AssetEtl.Builder builder = AssetEtl.builder()
                .dataSource(dataSource)
                .sources(sourceDefinitions(environment))
                .metrics(metrics)
                .identityPins(identityPins)
                .divergenceThreshold(divergenceThreshold);
        if (failAfterRecords != null) {
            builder.failAfterRecords(failAfterRecords);
        }
        return builder.build();
    }
}
