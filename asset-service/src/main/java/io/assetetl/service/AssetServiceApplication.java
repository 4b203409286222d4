package io.assetetl.service;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.assetetl.AssetEtl;
import io.assetetl.query.AssetQueries;
import io.assetetl.query.RunQueries;
import io.assetetl.run.SourceDefinition;
import io.assetetl.service.cache.ReadCache;
import io.assetetl.service.cache.ReadCacheSettings;
import io.assetetl.service.cache.SummaryChangesListening;
import io.assetetl.service.cli.CommandExit;
import io.assetetl.service.cli.DatabaseCommand;
import io.assetetl.service.cli.IngestCommand;
import io.assetetl.service.cli.ReprocessCommand;
import io.assetetl.service.cli.ServerStartCommand;
import io.assetetl.service.cli.SourceSettingsCheck;
import io.assetetl.service.health.SchedulerHealthCheck;
import io.assetetl.service.health.ServiceHealth;
import io.assetetl.service.http.AcceptQualityFilter;
import io.assetetl.service.http.AdminToken;
import io.assetetl.service.http.AdminTokenFilter;
import io.assetetl.service.http.ApiExceptionMapper;
import io.assetetl.service.http.BodySizeLimitFilter;
import io.assetetl.service.http.EncodedPathSegments;
import io.assetetl.service.http.JsonBodyFilter;
import io.assetetl.service.http.JsonErrorHandler;
import io.assetetl.service.http.JsonProcessingExceptionMapper;
import io.assetetl.service.http.RepeatedQueryParameterFilter;
import io.assetetl.service.http.RequestContextFilter;
import io.assetetl.service.http.RouteMethods;
import io.assetetl.service.http.RunExceptionMappers;
import io.assetetl.service.http.ServletRequestContextFilter;
import io.assetetl.service.http.UnexpectedExceptionMapper;
import io.assetetl.service.http.WebApplicationExceptionMapper;
import io.assetetl.service.metrics.ServiceMetrics;
import io.assetetl.service.resources.AssetResource;
import io.assetetl.service.resources.DataResource;
import io.assetetl.service.resources.HealthResource;
import io.assetetl.service.resources.KnownSources;
import io.assetetl.service.resources.RunResource;
import io.assetetl.service.resources.SourceResource;
import io.assetetl.service.resources.StatsResource;
import io.assetetl.service.warmup.WarmUp;
import io.assetetl.sources.coingecko.CoinGeckoSourceFactory;
import io.assetetl.store.Migrations;
import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.core.Application;
import io.dropwizard.core.cli.CheckCommand;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.jdbi3.JdbiFactory;
import io.dropwizard.lifecycle.Managed;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import jakarta.servlet.DispatcherType;
import jakarta.ws.rs.HttpMethod;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.sourceforge.argparse4j.inf.ArgumentParserException;

/**
 * The asset-etl service: the HTTP API, the scheduler and the {@code ingest}, {@code reprocess} and {@code db}
 * commands over the library. Every command runs without a configuration file.
 */
public class AssetServiceApplication extends Application<AssetServiceConfiguration> {

    private static final int MAX_REQUEST_BODY_BYTES = 64 * 1024;
    private static final String METRICS_PATH = "/metrics";

    private final Map<String, String> environment;

    public AssetServiceApplication() {
        this(System.getenv());
    }

    /** @param environment where the built-in sources read {@code CSV_SOURCE_PATH}, {@code COINGECKO_*}, ... */
    public AssetServiceApplication(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    public static void main(String[] args) throws Exception {
        // Liquibase OSS would send usage data to Liquibase from `db` commands and migrations (see Migrations)
        Migrations.turnOffLiquibaseAnalyticsUnlessSet();
        new AssetServiceApplication().run(args);
    }

    @Override
    public String getName() {
        return "asset-service";
    }

    /** Dropwizard's own {@code server} (failing in one line when its surroundings are at fault) and {@code check}. */
    @Override
    protected void addDefaultCommands(Bootstrap<AssetServiceConfiguration> bootstrap) {
        bootstrap.addCommand(new ServerStartCommand(this, environment));
        bootstrap.addCommand(new CheckCommand<>(this));
    }

    @Override
    public void initialize(Bootstrap<AssetServiceConfiguration> bootstrap) {
        bootstrap.setConfigurationSourceProvider(
                BundledConfigurationFactory.substituting(bootstrap.getConfigurationSourceProvider()));
        // as Dropwizard's own factory does: a setting the configuration does not know (a typo) is an error
        bootstrap.setConfigurationFactoryFactory((klass, validator, mapper, prefix) -> new BundledConfigurationFactory(
                klass, validator, mapper.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES), prefix));
        bootstrap.addCommand(new DatabaseCommand(environment));
        bootstrap.addCommand(new IngestCommand(environment));
        bootstrap.addCommand(new ReprocessCommand(environment));
    }

    @Override
    public void run(AssetServiceConfiguration configuration, Environment env) throws Exception {
        // a body that gives a key twice is ambiguous: refused (400) rather than read last-wins
        env.getObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        env.getObjectMapper().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
        if (configuration.getServerFactory() instanceof AbstractServerFactory server) {
            server.setRegisterDefaultExceptionMappers(false);
        }
        EncodedPathSegments.allow(configuration.getServerFactory(), env.getApplicationContext());

        // a source whose settings its factory refuses stops the start, rather than failing every scheduled run
        configuration.sourceDefinitions(environment).forEach(SourceSettingsCheck::check);
        DataSourceFactory database = EmbeddedDatabaseFallback.resolve(configuration);
        // managed objects stop in reverse order: scheduler, library, connection pool, then the embedded server
        configuration.embeddedDatabase().ifPresent(embedded -> env.lifecycle().manage(onStop(embedded::stop)));
        SchemaMigration.migrate(database);
        ManagedDataSource dataSource = database.build(env.metrics(), "postgresql");
        new JdbiFactory().build(env, database, dataSource, "postgresql");

        ServiceMetrics metrics = new ServiceMetrics(env.metrics());
        AssetEtl etl = configuration.buildEtl(dataSource, metrics.etl(), environment);
        etl.sources().forEach(source -> metrics.etl().knownSource(source.name(),
                source.type().equals(CoinGeckoSourceFactory.TYPE)));
        env.lifecycle().manage(onStop(etl::close));
        EtlScheduler scheduler = new EtlScheduler(etl, configuration.getEtlInterval());
        env.lifecycle().manage(scheduler);
        env.lifecycle().manage(new DeadRunSweeper(etl));
        env.healthChecks().register("scheduler", new SchedulerHealthCheck(scheduler));

        AssetQueries assets = etl.assets();
        RunQueries runs = new RunQueries(etl.jdbi());
        List<String> configured = etl.sources().stream().map(SourceDefinition::name).toList();
        KnownSources sources = new KnownSources(configured, runs::sourceNames);
        var jersey = env.jersey();
        jersey.register(new RequestContextFilter(metrics));
        jersey.register(new BodySizeLimitFilter(MAX_REQUEST_BODY_BYTES));
        jersey.register(new BodySizeLimitFilter.Refusal());
        jersey.register(new AdminTokenFilter(new AdminToken(configuration.adminToken())));
        jersey.register(new JsonBodyFilter());
        jersey.register(new RepeatedQueryParameterFilter());
        jersey.register(new AcceptQualityFilter());
        jersey.register(new ApiExceptionMapper());
        jersey.register(new WebApplicationExceptionMapper());
        jersey.register(new JsonProcessingExceptionMapper());
        jersey.register(new RunExceptionMappers.Refused());
        jersey.register(new RunExceptionMappers.UnknownSource());
        jersey.register(new UnexpectedExceptionMapper());
        jersey.register(new HealthResource(new ServiceHealth(etl, runs)));
        jersey.register(new DataResource(assets, sources, readCache(configuration, database, env),
                env.getObjectMapper()));
        jersey.register(new AssetResource(assets, sources, etl.divergenceThreshold()));
        jersey.register(new RunResource(etl, runs, sources));
        jersey.register(new StatsResource(runs, configured));
        jersey.register(new SourceResource(etl, runs, Clock.systemUTC()));
        jersey.register(OpenApi.resource());
        Set<String> allowedMethods = allowedMethods(configuration);
        RouteMethods routes = new RouteMethods(allowedMethods, jerseyPrefix(configuration));
        routes.servlet(METRICS_PATH, HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
        jersey.register(routes);
        env.getApplicationContext().setErrorHandler(new JsonErrorHandler(routes));
        JsonErrorHandler errors = new JsonErrorHandler();
        env.lifecycle().addServerLifecycleListener(server -> server.setErrorHandler(errors));
        RequestLogStatus.install(env.lifecycle());
        WarmUp.install(configuration.getWarmUp(), env);
        env.servlets().addServlet("prometheus", new PrometheusMetricsServlet(metrics.registry()))
                .addMapping(METRICS_PATH);
        env.servlets().addFilter("prometheus-request-context",
                        new ServletRequestContextFilter(metrics, METRICS_PATH, allowedMethods))
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, METRICS_PATH);
    }

    /**
     * The methods the server lets through at all ({@code server.allowedMethods}; Dropwizard's own default for a
     * server factory of another kind, which has no such setting).
     */
    private static Set<String> allowedMethods(AssetServiceConfiguration configuration) {
        return configuration.getServerFactory() instanceof AbstractServerFactory server ? server.getAllowedMethods()
                : Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.HEAD,
                        HttpMethod.OPTIONS, HttpMethod.PATCH);
    }

    /** Where in the application's context the API's routes begin: {@code server.rootPath} less its {@code /*}. */
    private static String jerseyPrefix(AssetServiceConfiguration configuration) {
        String root = configuration.getServerFactory() instanceof AbstractServerFactory server
                ? server.getJerseyRootPath().orElse("/*") : "/*";
        if (root.endsWith("*")) {
            root = root.substring(0, root.length() - 1);
        }
        return root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    }

    /**
     * The cache of {@code /data}'s pages, which hears of changes to the summaries on a connection of its own (not
     * one of the pool's). When the cache is disabled nothing listens, and every page is read from the database.
     */
    private static ReadCache<DataResource.PageRequest, DataResource.Page> readCache(
            AssetServiceConfiguration configuration, DataSourceFactory database, Environment env) {
        ReadCacheSettings settings = configuration.getReadCache();
        ReadCache<DataResource.PageRequest, DataResource.Page> cache = settings.build(DataResource.Page::weight);
        if (settings.enabled()) {
            env.lifecycle().manage(new SummaryChangesListening(database, cache));
        }
        env.metrics().registerGauge("read-cache.listening", () -> cache.isListening() ? 1 : 0);
        env.metrics().registerGauge("read-cache.hits", () -> cache.stats().hitCount());
        env.metrics().registerGauge("read-cache.misses", () -> cache.stats().missCount());
        return cache;
    }

    private static Managed onStop(Runnable action) {
        return new Managed() {
            @Override
            public void stop() {
                action.run();
            }
        };
    }

    @Override
    protected void onFatalError(Throwable t) {
        exit(exitCode(t));
    }

    /** 2 for usage errors (arguments, a configuration that cannot be used), the command's own code for
     * {@link CommandExit}, else 1. */
    static int exitCode(Throwable t) {
        if (t instanceof CommandExit exit) {
            return exit.code();
        }
        if (t instanceof ArgumentParserException || t instanceof ConfigurationException) {
            return CommandExit.USAGE;
        }
        return CommandExit.FAILED;
    }

    /** Ends the process; tests running commands in-process replace this. */
    protected void exit(int code) {
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }
}
