package io.assetetl;

import static java.util.Objects.requireNonNull;

import io.assetetl.model.Consensus;
import io.assetetl.model.IdentityRules;
import io.assetetl.query.AssetQueries;
import io.assetetl.run.CheckpointRecord;
import io.assetetl.run.EtlMetrics;
import io.assetetl.run.RunEngine;
import io.assetetl.run.RunProgress;
import io.assetetl.run.RunRecord;
import io.assetetl.run.RunRequest;
import io.assetetl.run.RunResult;
import io.assetetl.run.RunStatus;
import io.assetetl.run.SourceDefinition;
import io.assetetl.run.StartedRun;
import io.assetetl.spi.SourceContext;
import io.assetetl.spi.SourceFactory;
import io.assetetl.store.DatabaseFailures;
import io.assetetl.store.Migrations;
import io.assetetl.store.internal.RunLedger;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Jdbi;

/**
 * The library's entry point: migrate a database, register sources, run them, and read what they did.
 *
 * <pre>{@code
 * AssetEtl.migrate(dataSource);
 * try (AssetEtl etl = AssetEtl.builder()
 *         .dataSource(dataSource)
 *         .source(SourceDefinition.of("csv", "csv", SourceConfig.of(Map.of("path", "assets.csv"))))
 *         .build()) {
 *     RunResult result = etl.run(RunRequest.of("csv"));
 *     AssetPage firstPage = etl.assets().page(AssetFilter.ALL, Optional.empty(), 50);
 * }
 * }</pre>
 *
 * <p>Thread-safe. Source factories are found with {@link ServiceLoader} unless {@link Builder#discoverFactories}
 * is turned off, and can be added with {@link Builder#factory}.
 */
public final class AssetEtl implements AutoCloseable {

    private final Jdbi jdbi;
    private final Map<String, SourceDefinition> sources;
    private final RunEngine engine;
    private final RunLedger ledger;
    private final ExecutorService executor;
    private final BigDecimal divergenceThreshold;
    private final AssetQueries assets;

    private AssetEtl(Builder b) {
        this.jdbi = Jdbi.create(autoCommitting(b.dataSource));
        this.sources = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.sources));
        Map<String, SourceFactory> factories = b.discoverFactories ? discover(b) : new LinkedHashMap<>();
        factories.putAll(b.factories);
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "asset-etl-run");
            t.setDaemon(true);
            return t;
        });
        this.engine = new RunEngine(jdbi, sources, factories,
                new SourceContext(b.clock, EtlMetrics.failSafe(b.metrics)), b.identity, b.divergenceThreshold,
                b.failAfterRecords, executor);
        this.ledger = new RunLedger(jdbi);
        this.divergenceThreshold = b.divergenceThreshold;
        this.assets = new AssetQueries(jdbi, b.divergenceThreshold, b.identity);
    }

    /** A factory's type, which names it in configurations: a factory without one is a bug of its own, said so. */
    private static String typeOf(SourceFactory factory) {
        String type = factory.type();
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("source factory " + factory.getClass().getName()
                    + " has no type: its type() returned " + (type == null ? "null" : "'" + type + "'"));
        }
        return type;
    }

    /**
     * The factories {@link ServiceLoader} finds, by type. Two of one type (two vendors' jars that both call theirs
     * {@code csv}) would leave the classpath's order to pick one, silently; so a configured source of such a type
     * is refused unless a factory registered by hand settles which one it means. Types no source uses may clash.
     *
     * @throws IllegalArgumentException when a configured source's type is made by two factories found
     */
    private static Map<String, SourceFactory> discover(Builder b) {
        Map<String, SourceFactory> found = new LinkedHashMap<>();
        Map<String, SourceFactory> clashing = new LinkedHashMap<>();
        for (SourceFactory factory : ServiceLoader.load(SourceFactory.class, b.classLoader)) {
            String type = typeOf(factory);
            SourceFactory earlier = found.putIfAbsent(type, factory);
            if (earlier != null && earlier.getClass() != factory.getClass()) {
                clashing.putIfAbsent(type, factory);
            }
        }
        for (SourceDefinition source : b.sources.values()) {
            SourceFactory second = clashing.get(source.type());
            if (second != null && !b.factories.containsKey(source.type())) {
                throw new IllegalArgumentException("source '" + source.name() + "' is of type '" + source.type()
                        + "', which two source factories found by ServiceLoader make: "
                        + found.get(source.type()).getClass().getName() + " and " + second.getClass().getName()
                        + "; register the one to use with AssetEtl.Builder.factory, or take the other off the"
                        + " classpath");
            }
        }
        return found;
    }

    /**
     * Connections of {@code dataSource} in auto-commit mode, whatever the pool hands out (a pool set up for an ORM
     * often turns it off): Jdbi takes a connection without it for one already in a transaction, and would neither
     * begin nor commit the library's own, so that a run reported success and its work was rolled back when its
     * handle closed. A pool restores its own setting when the connection comes back to it.
     */
    private static ConnectionFactory autoCommitting(DataSource dataSource) {
        return () -> {
            Connection connection = dataSource.getConnection();
            try {
                if (!connection.getAutoCommit()) {
                    connection.setAutoCommit(true);
                }
                return connection;
            } catch (SQLException | RuntimeException e) {
                connection.close();
                throw e;
            }
        };
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Brings the schema of {@code dataSource} up to date with the asset-etl changelog. */
    public static void migrate(DataSource dataSource) {
        Migrations.migrate(requireNonNull(dataSource, "dataSource is null"));
    }

    /** The configured sources, in registration order. */
    public List<SourceDefinition> sources() {
        return List.copyOf(sources.values());
    }

    public Optional<SourceDefinition> source(String name) {
        return Optional.ofNullable(sources.get(requireNonNull(name, "name is null")));
    }

    /**
     * Runs a source once in the calling thread. A run that fails, whatever its adapter threw (an {@code Error}
     * included), is returned with status {@link RunStatus#FAILED} and its error.
     *
     * @throws io.assetetl.run.RunRefusedException   when a run of that source is in progress anywhere
     * @throws io.assetetl.run.UnknownSourceException when no such source is configured
     * @throws io.assetetl.spi.InvalidSourceConfigException when the source's factory refuses its settings, with the
     *                                                request's overrides (then no run exists)
     * @throws org.jdbi.v3.core.JdbiException        when the database cannot be reached to take the source's lock
     *                                                and record the run (then no run exists)
     * @throws IllegalStateException                  once this library is {@linkplain #close closed}, or when the
     *                                                database was never {@linkplain #migrate migrated}
     */
    public RunResult run(RunRequest request) {
        return run(request, RunProgress.NONE);
    }

    public RunResult run(RunRequest request, RunProgress progress) {
        requireNonNull(request, "request is null");
        refuseWhenClosed();
        return engine.run(request, progress);
    }

    /**
     * Starts a run in the background. When this returns, the run holds its source's lock and its row exists.
     *
     * @throws io.assetetl.run.RunRefusedException   when a run of that source is in progress anywhere
     * @throws io.assetetl.run.UnknownSourceException when no such source is configured
     * @throws io.assetetl.spi.InvalidSourceConfigException when the source's factory refuses its settings, with the
     *                                                request's overrides (then no run exists)
     * @throws org.jdbi.v3.core.JdbiException        when the database cannot be reached to take the source's lock
     *                                                and record the run (then no run exists)
     * @throws IllegalStateException                  once this library is {@linkplain #close closed}, or when the
     *                                                database was never {@linkplain #migrate migrated} (then no
     *                                                run exists)
     */
    public StartedRun start(RunRequest request) {
        requireNonNull(request, "request is null");
        refuseWhenClosed();
        return engine.start(request, RunProgress.NONE);
    }

    private void refuseWhenClosed() {
        if (executor.isShutdown()) {
            throw new IllegalStateException(RunEngine.CLOSED);
        }
    }

    /**
     * Rebuilds a source's canonical rows from its stored raw records alone: no file read, no network call.
     *
     * @throws io.assetetl.spi.InvalidSourceConfigException when the source's factory refuses its settings (then no
     *                                                      run exists)
     * @throws IllegalStateException once this library is {@linkplain #close closed}
     */
    public RunResult reprocess(String source) {
        return reprocess(source, RunProgress.NONE);
    }

    public RunResult reprocess(String source, RunProgress progress) {
        requireNonNull(source, "source is null");
        refuseWhenClosed();
        return engine.reprocess(source, progress);
    }

    /**
     * Marks abandoned the runs of every configured source that a process which ended left {@code running} (killed,
     * or its machine gone), as the source's next run would, without waiting for it; returns their ids. A run in
     * progress anywhere is left alone, and no run is refused for this. Servers call it now and then, so that a dead
     * run does not show as {@code running} until its source runs again.
     */
    public List<UUID> abandonDeadRuns() {
        return read(() -> {
            List<UUID> abandoned = new ArrayList<>();
            for (SourceDefinition source : sources()) {
                abandoned.addAll(engine.abandonDeadRuns(source.name()));
            }
            return abandoned;
        });
    }

    /**
     * Records the failures of this library's runs that could not be recorded when they happened, because the
     * database had gone away; returns whether none is left to record. The source's next run here, and
     * {@link #abandonDeadRuns}, record them too; a process about to end calls this (and again, while the database is
     * back within its patience), since another process would mark such a run abandoned, without its error.
     *
     * @throws org.jdbi.v3.core.JdbiException when the database still cannot be reached
     */
    public boolean recordPendingFailures() {
        return engine.recordPendingFailures();
    }

    /**
     * Runs newest first.
     *
     * @throws org.jdbi.v3.core.JdbiException when the database cannot be reached, as every read here
     * @throws IllegalStateException          when the database was never migrated, saying so, as every read of the
     *                                        ledger here
     */
    public List<RunRecord> runs(int limit, Optional<String> source, Optional<RunStatus> status) {
        return runs(limit, source, status, Optional.empty());
    }

    /**
     * Runs newest first, optionally of one source, one status and one kind: {@code ingest} (runs that read their
     * source) or {@code reprocess} (runs that rebuilt it from its raw tables).
     *
     * @throws IllegalArgumentException when {@code limit} is negative
     */
    public List<RunRecord> runs(int limit, Optional<String> source, Optional<RunStatus> status,
            Optional<String> kind) {
        requireNonNull(source, "source is null (Optional.empty() for every source)");
        requireNonNull(status, "status is null (Optional.empty() for every status)");
        requireNonNull(kind, "kind is null (Optional.empty() for every kind)");
        return read(() -> ledger.runs(limit, source, status, kind));
    }

    /** @throws NullPointerException when {@code runId} is null */
    public Optional<RunRecord> findRun(UUID runId) {
        requireNonNull(runId, "runId is null");
        return read(() -> ledger.findRun(runId));
    }

    public List<CheckpointRecord> checkpoints(String source) {
        requireNonNull(source, "source is null");
        return read(() -> ledger.checkpoints(source));
    }

    /**
     * A read of the ledger; on a database that was never migrated, its failure says to migrate it, as a run's does,
     * rather than quoting the statement that found no table.
     */
    private static <T> T read(Supplier<T> read) {
        try {
            return read.get();
        } catch (RuntimeException e) {
            throw DatabaseFailures.sayingWhenUnmigrated(e);
        }
    }

    /** The share of the median price beyond which a source's price is flagged as divergent. */
    public BigDecimal divergenceThreshold() {
        return divergenceThreshold;
    }

    /**
     * Reads of the canonical assets (pages with filters, one asset with its sources, price history), with this
     * library's divergence threshold. Thread-safe, like this object.
     */
    public AssetQueries assets() {
        return assets;
    }

    /** The Jdbi over this library's database, for reads of one's own. */
    public Jdbi jdbi() {
        return jdbi;
    }

    /**
     * Interrupts background runs ({@link #start}) and waits up to 10 seconds for them to end. An interrupted run fails
     * at its next wait (the next batch, a rate limiter's permit, a retry's backoff); its committed chunks stay and the
     * source's next run resumes from its checkpoint. After it, no run starts ({@link #run}, {@link #start} and
     * {@link #reprocess} throw {@link IllegalStateException}); the reads still work.
     */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Configures an {@link AssetEtl}. Only {@link #dataSource} is required. */
    public static final class Builder {
        private DataSource dataSource;
        private final Map<String, SourceDefinition> sources = new LinkedHashMap<>();
        private final Map<String, SourceFactory> factories = new LinkedHashMap<>();
        private boolean discoverFactories = true;
        private ClassLoader classLoader = AssetEtl.class.getClassLoader();
        private Clock clock = Clock.systemUTC();
        private EtlMetrics metrics = EtlMetrics.NOOP;
        private OptionalLong failAfterRecords = OptionalLong.empty();
        private IdentityRules identity = IdentityRules.defaults();
        private BigDecimal divergenceThreshold = Consensus.DEFAULT_THRESHOLD;

        private Builder() {
        }

        public Builder dataSource(DataSource dataSource) {
            this.dataSource = requireNonNull(dataSource, "dataSource is null");
            return this;
        }

        /** Adds a configured source; a later one of the same name replaces an earlier one. */
        public Builder source(SourceDefinition definition) {
            requireNonNull(definition, "definition is null");
            sources.put(definition.name(), definition);
            return this;
        }

        public Builder sources(List<SourceDefinition> definitions) {
            requireNonNull(definitions, "definitions is null").forEach(this::source);
            return this;
        }

        /**
         * Registers a factory by hand; it replaces a discovered factory of the same type, and settles which one a
         * source means when {@link ServiceLoader} finds two of its type.
         */
        public Builder factory(SourceFactory factory) {
            requireNonNull(factory, "factory is null");
            factories.put(typeOf(factory), factory);
            return this;
        }

        /** Whether to find factories with {@link ServiceLoader} (default true). */
        public Builder discoverFactories(boolean discover) {
            this.discoverFactories = discover;
            return this;
        }

        public Builder classLoader(ClassLoader classLoader) {
            this.classLoader = requireNonNull(classLoader, "classLoader is null");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock is null");
            return this;
        }

        public Builder metrics(EtlMetrics metrics) {
            this.metrics = requireNonNull(metrics, "metrics is null");
            return this;
        }

        /** Makes every run fail inside the chunk that passes {@code records} records (failure injection). */
        public Builder failAfterRecords(long records) {
            if (records < 0) {
                throw new IllegalArgumentException("failAfterRecords must not be negative: " + records);
            }
            this.failAfterRecords = OptionalLong.of(records);
            return this;
        }

        /** Adds pinned owners (canonical symbol → stable source id) to the built-in ones. */
        public Builder identityPins(Map<String, String> pins) {
            this.identity = identity.withPins(requireNonNull(pins, "pins is null"));
            return this;
        }

        /** Replaces the identity rules (aliases and pins) altogether. */
        public Builder identityRules(IdentityRules rules) {
            this.identity = requireNonNull(rules, "rules is null");
            return this;
        }

        public Builder divergenceThreshold(BigDecimal share) {
            requireNonNull(share, "share is null");
            if (share.signum() < 0) {
                throw new IllegalArgumentException("divergence threshold must not be negative: " + share);
            }
            this.divergenceThreshold = share;
            return this;
        }

        /**
         * Builds the library's entry point.
         *
         * @throws IllegalArgumentException when a source's type has no factory, or two found by {@link ServiceLoader}
         *                                  and none registered by hand
         */
        public AssetEtl build() {
            requireNonNull(dataSource, "dataSource is required");
            return new AssetEtl(this);
        }
    }
}
