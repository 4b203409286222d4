package io.assetetl.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.assetetl.model.Checkpoint;
import io.assetetl.model.IdentityRules;
import io.assetetl.model.Interpretation;
import io.assetetl.spi.Batch;
import io.assetetl.spi.InvalidSourceConfigException;
import io.assetetl.spi.RetriableSourceException;
import io.assetetl.spi.Source;
import io.assetetl.spi.SourceContext;
import io.assetetl.spi.SourceFactory;
import io.assetetl.store.DatabaseFailures;
import io.assetetl.store.internal.AssetSummaries;
import io.assetetl.store.internal.CanonicalRebuild;
import io.assetetl.store.internal.ChunkOutcome;
import io.assetetl.store.internal.ChunkWriter;
import io.assetetl.store.internal.RawReplay;
import io.assetetl.store.internal.RunCache;
import io.assetetl.store.internal.RunLedger;
import io.assetetl.store.internal.StorableValues;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs sources: one run per source at a time across processes (a PostgreSQL advisory lock held on the run's own
 * connection, so a dead process releases it), each batch committed with its checkpoint in one transaction, and a
 * ledger row in {@code etl_runs} from start to end. Thread-safe; runs of different sources proceed in parallel.
 */
public final class RunEngine {

    private static final Logger LOG = LoggerFactory.getLogger(RunEngine.class);
    /** Builds a run's metadata, whose checkpoint positions are written as the adapter gave them, unread. */
    private static final JsonNodeFactory METADATA_JSON = JsonNodeFactory.instance;
    /** Settings whose value a run's metadata leaves out: a key, token, password or secret given for one run. */
    private static final Pattern SECRET_SETTING = Pattern.compile("key|token|password|secret",
            Pattern.CASE_INSENSITIVE);
    /** Why a run cannot start once the library is closed. */
    public static final String CLOSED = "the library is closed: no run can start";
    /** The error of a run ended by an interruption, before what was waiting when it came. */
    static final String STOPPING = "interrupted: the process running it was shutting down, or its library was closed";
    /**
     * Raw records per page of a reprocess, the CSV sources' default chunk. A reprocess writes all its pages in one
     * transaction, so each page's upsert of a key's latest value adds a version to that row which the next page's
     * upsert walks past: the fewer pages, the shorter those chains.
     */
    private static final int REPLAY_PAGE = 50_000;
    /**
     * Bytes of raw payload text per page of a reprocess, at most (as many as the CSV sources' default chunk has of
     * its file), so that a source of wide records is replayed in more pages rather than in pages too large for the
     * heap.
     */
    private static final int REPLAY_PAGE_BYTES = 8 << 20;
    /** The longest a failed run holds its source's next runs back ({@link RetriableSourceException#notBefore}). */
    static final Duration MAX_RETRY_HOLD = Duration.ofDays(1);

    private final Jdbi jdbi;
    private final Map<String, SourceDefinition> sources;
    private final Map<String, SourceFactory> factories;
    private final SourceContext context;
    /** The writer of the sources whose ids the identity rules pin, and the writer of the others. */
    private final ChunkWriter pinningWriter;
    private final ChunkWriter writer;
    private final IdentityRules identity;
    private final BigDecimal divergenceThreshold;
    private final OptionalLong failAfterRecords;
    private final Executor executor;
    /** Raw records, and bytes of their payload text, per page of a reprocess, at most. */
    private final int replayPage;
    private final int replayPageBytes;
    private final String host;
    /**
     * Failures that could not be recorded when they happened (the database was unreachable), by run: recorded
     * before anything else would mark their runs abandoned, that is at the source's next claim and dead-run sweep.
     */
    private final Map<UUID, UnrecordedFailure> unrecorded = new ConcurrentHashMap<>();
    /**
     * The sources with a run in this process, from its claim until it gave its lock back. The lock lives in the
     * run's session, which can end while the run goes on (an administrator's {@code pg_terminate_backend}, an
     * idle-session timeout, a pooler restarting): the run then only finds out at its next write, and meanwhile this
     * process took it for dead, marked it abandoned and started the source again beside it.
     */
    private final Set<String> runningHere = ConcurrentHashMap.newKeySet();

    /** @throws IllegalArgumentException when a source's type has no factory */
    public RunEngine(Jdbi jdbi, Map<String, SourceDefinition> sources, Map<String, SourceFactory> factories,
            SourceContext context, IdentityRules identity, BigDecimal divergenceThreshold,
            OptionalLong failAfterRecords, Executor executor) {
        this(jdbi, sources, factories, context, identity, divergenceThreshold, failAfterRecords, executor, REPLAY_PAGE,
                REPLAY_PAGE_BYTES);
    }

    /**
     * An engine whose reprocess replays pages of at most {@code replayPage} records and {@code replayPageBytes} bytes
     * of payload (but for a page's first record) rather than the 50,000 records and 8 MiB of every other engine: for
     * tests that put the replay's page boundaries among a few records.
     */
    RunEngine(Jdbi jdbi, Map<String, SourceDefinition> sources, Map<String, SourceFactory> factories,
            SourceContext context, IdentityRules identity, BigDecimal divergenceThreshold,
            OptionalLong failAfterRecords, Executor executor, int replayPage, int replayPageBytes) {
        if (replayPage < 1 || replayPageBytes < 1) {
            throw new IllegalArgumentException("a reprocess's pages hold at least one record and one byte: "
                    + replayPage + " records, " + replayPageBytes + " bytes");
        }
        for (SourceDefinition source : sources.values()) {
            if (!factories.containsKey(source.type())) {
                throw new IllegalArgumentException("no source factory of type '" + source.type() + "' for source '"
                        + source.name() + "'; known types: " + factories.keySet());
            }
        }
        this.jdbi = jdbi;
        this.sources = Map.copyOf(sources);
        this.factories = Map.copyOf(factories);
        this.context = context;
        this.identity = identity;
        this.pinningWriter = new ChunkWriter(identity, context.clock());
        this.writer = new ChunkWriter(identity.withoutPins(), context.clock());
        this.divergenceThreshold = divergenceThreshold;
        this.failAfterRecords = failAfterRecords;
        this.executor = executor;
        this.replayPage = replayPage;
        this.replayPageBytes = replayPageBytes;
        this.host = System.getenv().getOrDefault("HOSTNAME", "localhost") + ":" + ProcessHandle.current().pid();
    }

    /** Runs a source once, in the calling thread. */
    public RunResult run(RunRequest request, RunProgress progress) {
        Claim claim = claim(request, "ingest");
        return ingest(claim, failSafe(progress));
    }

    /** Takes the source's lock and writes the run's row, then runs it on the executor. */
    public StartedRun start(RunRequest request, RunProgress progress) {
        Claim claim = claim(request, "ingest");
        CompletableFuture<RunResult> completion = new CompletableFuture<>();
        try {
            RunProgress told = failSafe(progress);
            executor.execute(() -> completion.complete(ingest(claim, told)));
        } catch (RejectedExecutionException closedMeanwhile) {
            try {
                completion.complete(fail(claim, new IllegalStateException(CLOSED, closedMeanwhile)));
            } finally {
                claim.release();
            }
        }
        return new StartedRun(claim.runId, claim.source, completion);
    }

    /**
     * Rebuilds the source's canonical rows from its raw tables alone, in one transaction, writing only the rows that
     * come out other than stored ({@link CanonicalRebuild}): the records that changed a row count as loaded, the
     * other valid ones as unchanged, and the rows left as they were keep their run id.
     */
    public RunResult reprocess(String sourceName, RunProgress progress) {
        RunProgress told = failSafe(progress);
        Claim claim = claim(RunRequest.of(sourceName), "reprocess");
        LogContext logContext = LogContext.of(claim);
        RunResult succeeded = null;
        try (Source source = create(claim, claim.definition.config(), context)) {
            RawReplay replay = new RawReplay(claim.source, replayPage, replayPageBytes);
            RawReplay.refreshStatistics(claim.handle);
            Totals totals = claim.totals;
            claim.handle.useTransaction(h -> {
                CanonicalRebuild rebuild = CanonicalRebuild.start(h, claim.source, claim.writer);
                for (List<io.assetetl.model.RawRecord> page = replay.next(h); !page.isEmpty(); page = replay.next(h)) {
                    List<Interpretation> records = page.stream().map(raw -> interpret(source, claim.source, raw))
                            .toList();
                    ChunkOutcome outcome = claim.writer.replay(h, claim.runId, claim.source, records, replay.reads(),
                            rebuild, claim.cache);
                    injectFailure(totals.processed, records.size());
                    totals.add(outcome);
                    told.chunkCommitted(claim.runId, claim.source, totals.processed, claim.elapsedMs());
                }
                totals.rebuilt(rebuild.finish(h, claim.runId));
                // only the summaries whose sources' rows changed are written, and only then told to readers
                AssetSummaries.refreshAll(h, divergenceThreshold);
            });
            totals.report(context, claim.source);
            succeeded = succeed(claim);
            return succeeded;
        } catch (Throwable e) {
            // an Error or an undeclared checked exception from an adapter fails the run like any other failure
            return succeeded != null ? closeFailedAfter(succeeded, e) : fail(claim, e);
        } finally {
            claim.release();
            logContext.restore();
        }
    }

    /** The source of {@code claim}, which its factory must create: a factory's bug is said so, not as an NPE. */
    private static Source create(Claim claim, io.assetetl.spi.SourceConfig config, SourceContext context) {
        Source source = claim.factory.create(claim.source, config, context);
        if (source == null) {
            throw new IllegalStateException("the source factory of type '" + claim.definition.type()
                    + "' returned no source from create() for source " + claim.source);
        }
        return source;
    }

    /** What {@code source} makes of a stored raw record, which is never null: an adapter's bug is said so. */
    private static Interpretation interpret(Source source, String name, io.assetetl.model.RawRecord raw) {
        Interpretation interpretation = source.interpret(raw);
        if (interpretation == null) {
            throw new IllegalStateException("source " + name + "'s interpret returned null for record "
                    + raw.position() + ": it returns an Observation or a Rejection for every raw record");
        }
        return interpretation;
    }

    /**
     * {@code progress}, whose failures are logged (the first at {@code WARN}, the others at {@code DEBUG}) rather
     * than raised: a progress line that cannot be written failed a run whose chunks had committed, and rolled a
     * reprocess back.
     */
    private static RunProgress failSafe(RunProgress progress) {
        AtomicBoolean warned = new AtomicBoolean();
        return (runId, source, processed, elapsedMs) -> {
            try {
                progress.chunkCommitted(runId, source, processed, elapsedMs);
            } catch (RuntimeException e) {
                if (warned.compareAndSet(false, true)) {
                    LOG.warn("run {}: telling its progress failed (the run goes on; further failures are logged at"
                            + " DEBUG): {}", runId, e.toString(), e);
                } else {
                    LOG.debug("run {}: telling its progress failed", runId, e);
                }
            }
        };
    }

    /** The run ended and is recorded: its source failing to close after it does not change its outcome. */
    private static RunResult closeFailedAfter(RunResult result, Throwable closing) {
        LOG.warn("run {} {}, but closing its source failed: {}", result.runId(), result.status().code(),
                describe(closing), closing);
        return result;
    }

    private RunResult ingest(Claim claim, RunProgress progress) {
        LogContext logContext = LogContext.of(claim);
        RunResult succeeded = null;
        // one batch read ahead: the reading thread is several times as fast as the writing, and each batch held
        // beside the two is a chunk's records more for the collector to keep
        try (Source source = create(claim, claim.config, notHeldBack(claim));
             PrefetchingReader<CheckedBatch> reader = claim.reading(new PrefetchingReader<>(
                     source.open(claim.checkpoints),
                     batch -> new CheckedBatch(storable(claim.source, batch),
                             claim.writer.check(batch.records(), true)), 0,
                     claim.source))) {
            LOG.info("run started{}",
                    claim.checkpoints.isEmpty() ? "" : " from checkpoint " + positions(claim.checkpoints));
            Totals totals = claim.totals;
            for (Optional<CheckedBatch> next = reader.next(); next.isPresent(); next = reader.next()) {
                Batch batch = next.get().batch();
                ChunkWriter.CheckedChunk checked = next.get().checked();
                ChunkOutcome outcome = claim.handle.inTransaction(h -> {
                    ChunkOutcome written = claim.writer.write(h, claim.runId, claim.source, checked,
                            batch.driftEvents(), Optional.of(batch.checkpoint()), claim.cache);
                    injectFailure(totals.processed, batch.records().size());
                    return written;
                });
                totals.add(outcome);
                claim.committed(batch, outcome);
                totals.report(context, claim.source, outcome);
                progress.chunkCommitted(claim.runId, claim.source, totals.processed, claim.elapsedMs());
            }
            refreshSummaries(claim.handle);
            succeeded = succeed(claim);
            return succeeded;
        } catch (Throwable e) {
            // an Error or an undeclared checked exception from an adapter fails the run like any other failure
            return succeeded != null ? closeFailedAfter(succeeded, e) : fail(claim, e);
        } finally {
            claim.release();
            logContext.restore();
        }
    }

    /**
     * The run's {@code run_id} and {@code source} in the MDC while it runs, and afterwards the caller's own values
     * of them again: a scheduler that names the source in its MDC lost it to the run it started.
     */
    private record LogContext(String runId, String source) {

        static LogContext of(Claim claim) {
            LogContext callers = new LogContext(MDC.get("run_id"), MDC.get("source"));
            MDC.put("run_id", claim.runId.toString());
            MDC.put("source", claim.source);
            return callers;
        }

        void restore() {
            put("run_id", runId);
            put("source", source);
        }

        private static void put(String key, String value) {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        }
    }

    /**
     * Marks abandoned the runs of {@code sourceName} that a process which ended left {@code running}, without
     * waiting for the source's next run, and brings the summaries their committed chunks changed up to date. Takes
     * no lock: a run in progress, here or in another process, is left alone and never refused for it.
     */
    public List<UUID> abandonDeadRuns(String sourceName) {
        try (Handle handle = jdbi.open()) {
            recordUnrecordedFailures(handle, sourceName);
            if (runningHere.contains(sourceName)) {
                // its run here is alive, whether or not its session still holds the lock; its claim marked the
                // runs left before it, and a run another process started meanwhile has the lock: nothing is dead
                return List.of();
            }
            List<UUID> abandoned = RunLedger.abandonDead(handle, sourceName, lockKey(sourceName),
                    context.clock().instant());
            if (!abandoned.isEmpty()) {
                reportAbandoned(sourceName, abandoned);
                refreshSummaries(handle);
            }
            return abandoned;
        }
    }

    /** Logs the runs this process marked abandoned, and counts them as runs that ended so ({@code etl_runs}). */
    private void reportAbandoned(String source, List<UUID> runs) {
        LOG.warn("source {}: runs {} were left running by a process that ended; marked abandoned", source, runs);
        context.metrics().count("etl_runs", Map.of("source", source, "status", RunStatus.ABANDONED.code()),
                runs.size());
    }

    /** Fails the chunk inside its transaction when {@code ETL_FAIL_AFTER_RECORDS} falls within it. */
    private void injectFailure(long processedBefore, int chunkSize) {
        if (failAfterRecords.isPresent() && processedBefore + chunkSize > failAfterRecords.getAsLong()) {
            throw new InjectedFailureException("injected failure after " + failAfterRecords.getAsLong()
                    + " records (ETL_FAIL_AFTER_RECORDS); the chunk in progress was rolled back");
        }
    }

    private Claim claim(RunRequest request, String kind) {
        SourceDefinition definition = sources.get(request.source());
        if (definition == null) {
            throw new UnknownSourceException(request.source(), sources.keySet());
        }
        SourceFactory factory = factories.get(definition.type());
        refuseInvalidSettings(definition, factory, request);
        if (!runningHere.add(definition.name())) {
            // a run of it here has not ended, though its session (and the lock with it) may have
            throw new RunRefusedException(definition.name());
        }
        Handle handle;
        try {
            handle = jdbi.open();
        } catch (RuntimeException e) {
            runningHere.remove(definition.name());
            throw e;
        }
        try {
            boolean locked = handle.createQuery("SELECT pg_try_advisory_lock(hashtextextended(:key, 0))")
                    .bind("key", lockKey(definition.name())).mapTo(Boolean.class).one();
            if (!locked) {
                throw new RunRefusedException(definition.name());
            }
            recordUnrecordedFailures(handle, definition.name());
            Instant startedAt = context.clock().instant();
            List<UUID> abandoned = RunLedger.abandonOrphans(handle, definition.name(), startedAt);
            if (!abandoned.isEmpty()) {
                reportAbandoned(definition.name(), abandoned);
            }
            // summaries a dead process's chunks left behind
            refreshSummaries(handle);
            UUID resumedFrom = RunLedger.unfinishedCheckpointRun(handle, definition.name()).orElse(null);
            Map<String, Checkpoint> checkpoints = RunLedger.checkpointsByStream(handle, definition.name());
            writer.prepare(handle);
            // the run's row last: a claim that fails after it (its session ending) would leave a run 'running' that
            // its caller was told never started, later marked abandoned as if its process had died
            UUID runId = UUID.randomUUID();
            RunLedger.insertRunning(handle, runId, definition.name(), kind, startedAt,
                    "ingest".equals(kind) ? resumedFrom : null, host);
            return new Claim(runId, definition, factory, request, handle, checkpoints, startedAt,
                    System.nanoTime());
        } catch (RuntimeException e) {
            giveBack(handle, definition.name());
            throw DatabaseFailures.sayingWhenUnmigrated(e);
        }
    }

    /**
     * Creates the source once with the run's settings, and closes it, so that settings its factory refuses are
     * refused to the caller before anything is claimed or recorded: a run of them failed at its start, each time, and
     * each failure was a row of the ledger. Any other failure to create the source is left to the run, which records
     * it.
     *
     * @throws InvalidSourceConfigException when the factory refuses the settings
     */
    private void refuseInvalidSettings(SourceDefinition definition, SourceFactory factory, RunRequest request) {
        Source probe;
        try {
            probe = factory.create(definition.name(), definition.config().with(request.overrides()), context);
        } catch (InvalidSourceConfigException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.debug("source {}: creating it to check its settings failed; the run will record it", definition.name(),
                    e);
            return;
        }
        if (probe != null) {
            try {
                probe.close();
            } catch (RuntimeException e) {
                LOG.debug("source {}: closing the source made to check its settings failed", definition.name(), e);
            }
        }
    }

    private RunResult succeed(Claim claim) {
        Instant now = context.clock().instant();
        Optional<RunRecord> record = RunLedger.finish(claim.handle, claim.runId, RunStatus.SUCCEEDED, now, null,
                claim.metadata(now));
        if (record.isEmpty()) {
            return endedElsewhere(claim.handle, claim.runId, RunStatus.SUCCEEDED, null);
        }
        RunRecord r = record.get();
        LOG.info("run succeeded: processed={} loaded={} unchanged={} rejected={}", r.recordsProcessed(),
                r.recordsLoaded(), r.recordsUnchanged(), r.recordsRejected());
        return finished(r);
    }

    /**
     * The run {@code runId} as another process ended it before this one could record its end ({@code status},
     * {@code error}): that process found the session holding the source's lock gone and marked the run abandoned.
     * Its end stays as written; this process's account of it is logged, and counted by neither process again.
     */
    private static RunResult endedElsewhere(Handle handle, UUID runId, RunStatus status, String error) {
        RunRecord r = RunLedger.run(handle, runId).orElseThrow();
        LOG.warn("run {} had already been marked {} at {} before this process could record it as {}{}; left as"
                + " marked", runId, r.status().code(), r.finishedAt(), status.code(),
                error == null ? "" : " (" + error + ")");
        return result(r);
    }

    /** Brings the summaries of the assets that committed chunks changed up to date, in one transaction. */
    private void refreshSummaries(Handle handle) {
        int refreshed = handle.inTransaction(h -> AssetSummaries.refreshPending(h, divergenceThreshold));
        LOG.debug("refreshed {} asset summaries", refreshed);
    }

    /**
     * The context to create {@code claim}'s source with, once its last run has not asked for no run before now:
     * a source whose upstream asked for no call before some time ({@link RetriableSourceException#notBefore}) fails
     * without being opened until then, whichever process runs it.
     */
    private SourceContext notHeldBack(Claim claim) {
        RunLedger.retryHold(claim.handle, claim.source).ifPresent(hold -> {
            if (context.clock().instant().isBefore(hold.notBefore())) {
                throw new RetriableSourceException("source " + claim.source + " asked for no call before "
                        + hold.notBefore() + " (run " + hold.runId() + "): not called, the first run after then"
                        + " tries again", null, hold.notBefore());
            }
        });
        return context;
    }

    /**
     * {@code batch}, once PostgreSQL can store its checkpoint ({@link StorableValues#checkpointProblem}). One it
     * cannot is the adapter's own output, not its input: an adapter's bug, which fails the run, saying so, before
     * anything of the batch is written (it failed the batch's transaction with PostgreSQL's words, at every run).
     */
    private static Batch storable(String source, Batch batch) {
        StorableValues.checkpointProblem(batch.checkpoint()).ifPresent(problem -> {
            throw new IllegalStateException("source " + source + " gave a checkpoint " + problem
                    + ": an adapter's bug; the batch was not written");
        });
        return batch;
    }

    private RunResult fail(Claim claim, Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof RetriableSourceException retriable && retriable.notBefore().isPresent()) {
                claim.retryNotBefore = retryHold(claim.source, retriable.notBefore().get());
                break;
            }
        }
        String error = describe(cause);
        if (ExpectedFailures.isExpected(cause)) {
            LOG.error("run failed: {}", error);
            LOG.debug("run failed", cause);
        } else {
            LOG.error("run failed: {}", error, cause);
        }
        try {
            // the chunks committed before the failure stay, and so must their summaries
            refreshSummaries(claim.handle);
        } catch (RuntimeException e) {
            LOG.warn("cannot refresh the summaries the run changed; the next run will: {}", e.getMessage());
        }
        Instant now = context.clock().instant();
        String metadata = claim.metadata(now);
        try {
            return failed(claim.handle, claim.runId, now, error, metadata);
        } catch (RuntimeException onRunConnection) {
            try {
                return jdbi.withHandle(h -> failed(h, claim.runId, now, error, metadata));
            } catch (RuntimeException databaseGone) {
                // the row stays 'running' until the database answers again: the source's next run or dead-run sweep
                // in this process records the failure; another process's would mark the run abandoned
                unrecorded.put(claim.runId, new UnrecordedFailure(claim.source, now, error, metadata));
                LOG.error("cannot record the failure of run {} yet: {}", claim.runId, databaseGone.getMessage());
                context.metrics().count("etl_runs", Map.of("source", claim.source, "status", "failed"), 1);
                ChunkOutcome committed = claim.committedCounts;
                return new RunResult(claim.runId, claim.source, RunStatus.FAILED, committed.processed(),
                        committed.loaded(), committed.unchanged(), committed.rejected(), claim.elapsedMs(), error);
            }
        }
    }

    private RunResult failed(Handle handle, UUID runId, Instant now, String error, String metadata) {
        return RunLedger.finish(handle, runId, RunStatus.FAILED, now, error, metadata).map(this::finished)
                .orElseGet(() -> endedElsewhere(handle, runId, RunStatus.FAILED, error));
    }

    /**
     * Records the failures of runs that could not be recorded when they happened, the database being gone; returns
     * whether none is left to record.
     *
     * @throws org.jdbi.v3.core.JdbiException when the database still cannot be reached
     */
    public boolean recordPendingFailures() {
        if (unrecorded.isEmpty()) {
            return true;
        }
        try (Handle handle = jdbi.open()) {
            for (String source : unrecorded.values().stream().map(UnrecordedFailure::source).distinct().toList()) {
                recordUnrecordedFailures(handle, source);
            }
        }
        return unrecorded.isEmpty();
    }

    /**
     * The instant before which {@code source} is not run again, for an upstream that asked for none before
     * {@code notBefore}: at most {@link #MAX_RETRY_HOLD} after now. An upstream's {@code Retry-After} of days or
     * years (a typo, a date misread) would otherwise hold every later run of the source back until then.
     */
    private Instant retryHold(String source, Instant notBefore) {
        Instant latest = context.clock().instant().plus(MAX_RETRY_HOLD);
        if (!notBefore.isAfter(latest)) {
            return notBefore;
        }
        LOG.warn("source {} asked for no call before {}, more than a day ahead: held until {} instead", source,
                notBefore, latest);
        return latest;
    }

    /** A run's failure as it was to be recorded. */
    private record UnrecordedFailure(String source, Instant at, String error, String metadata) {
    }

    /** Records the failures of {@code source}'s runs that could not be recorded when they happened. */
    private void recordUnrecordedFailures(Handle handle, String source) {
        unrecorded.forEach((runId, failure) -> {
            if (!failure.source().equals(source)) {
                return;
            }
            try {
                if (RunLedger.finish(handle, runId, RunStatus.FAILED, failure.at(), failure.error(),
                        failure.metadata()).isPresent()) {
                    LOG.warn("source {}: recorded the failure of run {} now that the database answers: {}", source,
                            runId, failure.error());
                } else {
                    endedElsewhere(handle, runId, RunStatus.FAILED, failure.error());
                }
            } catch (RuntimeException e) {
                if (DatabaseFailures.isUnavailable(e)) {
                    throw e; // still unreachable: kept for the next attempt
                }
                LOG.warn("source {}: cannot record the failure of run {}: {}", source, runId, e.getMessage());
            }
            unrecorded.remove(runId);
        });
    }

    private RunResult finished(RunRecord r) {
        RunResult result = result(r);
        context.metrics().count("etl_runs", Map.of("source", r.source(), "status", r.status().code()), 1);
        context.metrics().time("etl_run_duration", Map.of("source", r.source()),
                Duration.ofMillis(result.durationMs()));
        return result;
    }

    /** A run's record as its result (a run without a duration yet took none). */
    private static RunResult result(RunRecord r) {
        return new RunResult(r.runId(), r.source(), r.status(), r.recordsProcessed(), r.recordsLoaded(),
                r.recordsUnchanged(), r.recordsRejected(), r.durationMs() == null ? 0 : r.durationMs(), r.error());
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getMessage() == null) {
            root = root.getCause();
        }
        // the driver's own words, without the statement text Jdbi wraps around them
        String message = DatabaseFailures.describe(root);
        if (DatabaseFailures.isUnavailable(e)) {
            return "database unavailable: " + message;
        }
        return interrupted(e) ? STOPPING + " (" + message + ")" : message;
    }

    /**
     * Whether the run ended because its thread was interrupted: what a process that is shutting down (SIGTERM,
     * Ctrl-C) and {@link io.assetetl.AssetEtl#close} do to the runs they end.
     */
    private static boolean interrupted(Throwable e) {
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException || t instanceof java.io.InterruptedIOException
                    || t instanceof java.nio.channels.ClosedByInterruptException) {
                return true;
            }
        }
        return false;
    }


    /**
     * The positions of {@code checkpoints} as JSON: the default stream's alone as it is, checkpoints of other streams
     * as an object by stream; {@code null} when there are none.
     */
    private static JsonNode positions(Map<String, Checkpoint> checkpoints) {
        if (checkpoints.isEmpty()) {
            return null;
        }
        Checkpoint single = checkpoints.get(Checkpoint.DEFAULT_STREAM);
        if (single != null && checkpoints.size() == 1) {
            return position(single);
        }
        ObjectNode byStream = METADATA_JSON.objectNode();
        checkpoints.forEach((stream, checkpoint) -> byStream.set(stream, position(checkpoint)));
        return byStream;
    }

    /**
     * A checkpoint's position (JSON, as {@link Checkpoint} requires) as a node that writes its text as it is, unread:
     * read as a tree, a position beyond one of Jackson's limits (a number of over 1,000 digits, which PostgreSQL and
     * the checkpoint take, or a string of over 20,000,000 characters) threw while the run's end was recorded, so that
     * each run of the source was left {@code running}, to be marked abandoned by the next; and a float beyond a
     * double became a text.
     */
    private static JsonNode position(Checkpoint checkpoint) {
        return METADATA_JSON.rawValueNode(new RawValue(checkpoint.position()));
    }

    private static String lockKey(String source) {
        return "asset-etl:source:" + source;
    }

    /** Gives the source's lock back ({@link #release}), and so lets this process run the source again. */
    private void giveBack(Handle handle, String source) {
        try {
            release(handle, source);
        } finally {
            runningHere.remove(source);
        }
    }

    /**
     * Gives the source's lock back. The run's connection may be a pooled one that lives on after this run, so the
     * lock is released explicitly rather than left to the connection's end.
     */
    private static void release(Handle handle, String source) {
        try {
            if (!handle.getConnection().getAutoCommit()) {
                handle.rollback();
            }
            handle.createQuery("SELECT pg_advisory_unlock(hashtextextended(:key, 0))")
                    .bind("key", lockKey(source)).mapTo(Boolean.class).one();
        } catch (RuntimeException | java.sql.SQLException e) {
            LOG.debug("source {}: could not release lock on a broken connection (the server drops it): {}", source,
                    e.getMessage());
        } finally {
            try {
                handle.close();
            } catch (RuntimeException e) {
                LOG.debug("closing a broken connection: {}", e.getMessage());
            }
        }
    }

    private final class Claim {
        final UUID runId;
        final String source;
        final SourceDefinition definition;
        final SourceFactory factory;
        /** The writer of its source's type: with the identity pins when they name its ids. */
        final ChunkWriter writer;
        final io.assetetl.spi.SourceConfig config;
        final Map<String, String> overrides;
        final Handle handle;
        /** The checkpoints the run started from, by stream. */
        final Map<String, Checkpoint> checkpoints;
        final Instant startedAt;
        final long startNanos;
        /** Records of the chunks committed so far. */
        final Totals totals = new Totals();
        /** What the run's writing learnt for its later chunks. */
        final RunCache cache = new RunCache();
        /**
         * The records of the chunks an ingest committed so far (none for a reprocess, whose one transaction commits
         * all or nothing): what the run's result shows when its end cannot be recorded.
         */
        ChunkOutcome committedCounts = new ChunkOutcome(0, 0, 0, 0);
        /** Drift events of the chunks committed so far. */
        long driftEvents;
        /** When the run failed asking for no run of its source before some instant: that instant. */
        Instant retryNotBefore;
        /** The run's reader, once it has one. */
        PrefetchingReader<CheckedBatch> reader;
        /** The checkpoints the run's chunks committed, the last of each stream. */
        final Map<String, Checkpoint> committedCheckpoints = new TreeMap<>();

        Claim(UUID runId, SourceDefinition definition, SourceFactory factory, RunRequest request, Handle handle,
                Map<String, Checkpoint> checkpoints, Instant startedAt, long startNanos) {
            this.runId = runId;
            this.source = definition.name();
            this.definition = definition;
            this.factory = factory;
            this.writer = identity.pinsApplyTo(definition.type()) ? pinningWriter : RunEngine.this.writer;
            this.config = definition.config().with(request.overrides());
            this.overrides = request.overrides();
            this.handle = handle;
            this.checkpoints = checkpoints;
            this.startedAt = startedAt;
            this.startNanos = startNanos;
        }

        long elapsedMs() {
            return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
        }

        void committed(Batch batch, ChunkOutcome outcome) {
            committedCounts = new ChunkOutcome(committedCounts.processed() + outcome.processed(),
                    committedCounts.loaded() + outcome.loaded(), committedCounts.unchanged() + outcome.unchanged(),
                    committedCounts.rejected() + outcome.rejected());
            driftEvents += batch.driftEvents().size();
            committedCheckpoints.put(batch.checkpoint().stream(), batch.checkpoint());
        }

        /**
         * The run's {@code metadata}: its source's type, the settings it overrode, the checkpoints it started from
         * and reached (the adapter's positions, such as a file's hash and line), its drift events and its speed.
         */
        String metadata(Instant finishedAt) {
            ObjectNode metadata = METADATA_JSON.objectNode();
            metadata.put("source_type", definition.type());
            ObjectNode overridden = metadata.putObject("overrides");
            overrides.forEach((key, value) -> overridden.put(key, SECRET_SETTING.matcher(key).find() ? "***" : value));
            metadata.set("checkpoint_start", positions(checkpoints));
            metadata.set("checkpoint_end", positions(committedCheckpoints));
            if (retryNotBefore != null) {
                metadata.put("retry_not_before", retryNotBefore.toString());
            }
            metadata.put("drift_events", driftEvents);
            // over the run's stored duration, from its start to its end, as /runs and /stats show it
            long durationMs = Math.max(1, Math.round(Duration.between(startedAt, finishedAt).toNanos() / 1e6));
            metadata.put("records_per_second", totals.processed * 1000 / durationMs);
            return metadata.toString();
        }

        /** The reader of this run, whose end {@link #release} waits for. */
        PrefetchingReader<CheckedBatch> reading(PrefetchingReader<CheckedBatch> reader) {
            this.reader = reader;
            return reader;
        }

        /**
         * Gives the source's lock back, once the run's reader has stopped: a reader that does not heed being
         * stopped keeps the source locked until it ends, so that no other run reads the source beside it.
         */
        void release() {
            if (reader == null || reader.stopped()) {
                giveBack(handle, source);
                return;
            }
            LOG.error("source {}: its reader did not stop within {} s of being asked to (it does not heed"
                    + " interruption); the source stays locked until it does", source,
                    PrefetchingReader.STOP_WAIT.toSeconds());
            reader.whenStopped(() -> {
                giveBack(handle, source);
                LOG.warn("source {}: its reader stopped at last; the source is free again", source);
            });
        }
    }

    /** A batch as read, and its records as the writer checked them on the reading thread. */
    private record CheckedBatch(Batch batch, ChunkWriter.CheckedChunk checked) {
    }

    private static final class Totals {
        long processed;
        long loaded;
        long unchanged;
        long rejected;

        void add(ChunkOutcome outcome) {
            processed += outcome.processed();
            loaded += outcome.loaded();
            unchanged += outcome.unchanged();
            rejected += outcome.rejected();
        }

        /** Counts as loaded {@code changed} records that its replayed pages counted as unchanged. */
        void rebuilt(long changed) {
            loaded += changed;
            unchanged -= changed;
        }

        void report(SourceContext context, String source, ChunkOutcome o) {
            count(context, source, "loaded", o.loaded());
            count(context, source, "unchanged", o.unchanged());
            count(context, source, "rejected", o.rejected());
        }

        /** Counts a reprocess's records, once it committed, by outcome as an ingest's chunks are. */
        void report(SourceContext context, String source) {
            report(context, source, new ChunkOutcome(processed, loaded, unchanged, rejected));
        }

        private static void count(SourceContext context, String source, String outcome, long amount) {
            if (amount > 0) {
                context.metrics().count("etl_records", Map.of("source", source, "outcome", outcome), amount);
            }
        }
    }
}
