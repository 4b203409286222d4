package io.assetetl.store.internal;

import io.assetetl.model.Checkpoint;
import io.assetetl.run.CheckpointRecord;
import io.assetetl.run.RunRecord;
import io.assetetl.run.RunStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The run ledger ({@code etl_runs}) and checkpoints ({@code etl_checkpoints}): reads for anyone, and the writes
 * the engine makes outside chunk transactions.
 */
public final class RunLedger {

    private static final String RUN_COLUMNS = "run_id, source, kind, status, started_at, finished_at, duration_ms,"
            + " records_processed, records_loaded, records_unchanged, records_rejected, chunks, error, resumed_from";

    private final Jdbi jdbi;

    public RunLedger(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Runs newest first, optionally of one source and one status. */
    public List<RunRecord> runs(int limit, Optional<String> source, Optional<RunStatus> status) {
        return runs(limit, source, status, Optional.empty());
    }

    /** Runs newest first, optionally of one source, one status and one kind ({@code ingest}, {@code reprocess}). */
    public List<RunRecord> runs(int limit, Optional<String> source, Optional<RunStatus> status, Optional<String> kind) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        return jdbi.withHandle(h -> h.createQuery("SELECT " + RUN_COLUMNS + " FROM etl_runs"
                        + " WHERE (CAST(:source AS text) IS NULL OR source = :source)"
                        + " AND (CAST(:status AS text) IS NULL OR status = :status)"
                        + " AND (CAST(:kind AS text) IS NULL OR kind = :kind)"
                        + " ORDER BY started_at DESC, run_id LIMIT :limit")
                .bind("source", source.orElse(null))
                .bind("status", status.map(RunStatus::code).orElse(null))
                .bind("kind", kind.orElse(null))
                .bind("limit", limit)
                .map(RunLedger::mapRun).list());
    }

    public Optional<RunRecord> findRun(UUID runId) {
        return jdbi.withHandle(h -> run(h, runId));
    }

    /** The checkpoints of {@code source}, one per stream. */
    public List<CheckpointRecord> checkpoints(String source) {
        return jdbi.withHandle(h -> h.createQuery("SELECT source, stream, position::text AS position, run_id,"
                        + " updated_at FROM etl_checkpoints WHERE source = :source ORDER BY stream")
                .bind("source", source)
                .map((rs, ctx) -> new CheckpointRecord(rs.getString("source"), rs.getString("stream"),
                        rs.getString("position"), rs.getObject("run_id", UUID.class),
                        instant(rs, "updated_at")))
                .list());
    }

    // --- engine writes, on the run's own connection ---

    /** Marks the runs of {@code source} still shown as running as abandoned; call only while holding its lock. */
    public static List<UUID> abandonOrphans(Handle handle, String source, Instant now) {
        return abandon(handle, source, now, "the next run resumed from its checkpoint", "", null);
    }

    /**
     * Marks abandoned the runs of {@code source} left {@code running} by a process that ended, found without taking
     * the source's lock (a run starting meanwhile would be refused): those no session holds the lock {@code lockKey}
     * for. It is one statement: a run that takes the lock after the statement started is not yet visible to it, and
     * a run that finished meanwhile is re-checked and left as it ended.
     */
    public static List<UUID> abandonDead(Handle handle, String source, String lockKey, Instant now) {
        return abandon(handle, source, now, "the next run resumes from its checkpoint", """
                  AND NOT EXISTS (
                      SELECT 1 FROM pg_locks l
                      WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
                        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                        AND l.classid = ((hashtextextended(:key, 0) >> 32) & 4294967295)::oid
                        AND l.objid = (hashtextextended(:key, 0) & 4294967295)::oid)
                """, lockKey);
    }

    /** Marks abandoned the running runs of {@code source} that also meet {@code condition}; returns their ids. */
    private static List<UUID> abandon(Handle handle, String source, Instant now, String then, String condition,
            String lockKey) {
        var update = handle.createQuery("""
                UPDATE etl_runs SET status = 'abandoned',
                    finished_at = GREATEST(started_at, LEAST(COALESCE(last_chunk_at, started_at), :now)),
                    duration_ms = GREATEST(0, (EXTRACT(EPOCH FROM
                        (LEAST(COALESCE(last_chunk_at, started_at), :now) - started_at)) * 1000)::bigint),
                    error = :error
                WHERE source = :source AND status = 'running'
                """ + condition + "RETURNING run_id")
                .bind("source", source).bind("now", utc(now))
                .bind("error", "the process running it ended, or lost its database session, before it finished; "
                        + then);
        if (lockKey != null) {
            update.bind("key", lockKey);
        }
        return update.mapTo(UUID.class).list();
    }

    /** The checkpoints of {@code source}, by stream, in the order of their streams' names. */
    public static Map<String, Checkpoint> checkpointsByStream(Handle handle, String source) {
        Map<String, Checkpoint> checkpoints = new TreeMap<>();
        handle.createQuery("SELECT stream, position::text FROM etl_checkpoints WHERE source = :source")
                .bind("source", source)
                .map((rs, ctx) -> new Checkpoint(rs.getString(1), rs.getString(2)))
                .forEach(c -> checkpoints.put(c.stream(), c));
        return Collections.unmodifiableMap(checkpoints);
    }

    /**
     * The instant before which {@code source} must not be tried again, as its last finished ingest said when it
     * failed ({@code retry_not_before} in its metadata).
     */
    public static Optional<RetryHold> retryHold(Handle handle, String source) {
        return handle.createQuery("""
                SELECT run_id, metadata->>'retry_not_before' FROM etl_runs
                WHERE source = :source AND kind = 'ingest' AND status IN ('succeeded', 'failed')
                ORDER BY started_at DESC LIMIT 1""")
                .bind("source", source)
                // a last run without a hold maps to null, which findFirst takes as none
                .map((rs, ctx) -> rs.getString(2) == null ? null
                        : new RetryHold(rs.getObject(1, UUID.class), Instant.parse(rs.getString(2))))
                .findFirst();
    }

    /** A source's hold: no run before {@code notBefore}, as run {@code runId} failed asking. */
    public record RetryHold(UUID runId, Instant notBefore) {
    }

    /**
     * The run that wrote the checkpoint of {@code source}, when that run did not succeed and no ingest run of the
     * source has succeeded since it started: the run a new run resumes. A success after it took the source up, so
     * the runs after that success, which start from the same checkpoint when they read nothing new, resume nothing.
     */
    public static Optional<UUID> unfinishedCheckpointRun(Handle handle, String source) {
        return handle.createQuery("""
                SELECT c.run_id FROM etl_checkpoints c JOIN etl_runs r ON r.run_id = c.run_id
                WHERE c.source = :source AND r.status <> 'succeeded'
                  AND NOT EXISTS (SELECT 1 FROM etl_runs s
                                  WHERE s.source = :source AND s.kind = 'ingest' AND s.status = 'succeeded'
                                    AND s.finished_at > r.started_at)
                ORDER BY c.updated_at DESC LIMIT 1""")
                .bind("source", source).mapTo(UUID.class).findOne();
    }

    public static void insertRunning(Handle handle, UUID runId, String source, String kind, Instant startedAt,
            UUID resumedFrom, String host) {
        handle.createUpdate("""
                INSERT INTO etl_runs (run_id, source, kind, status, started_at, resumed_from, host)
                VALUES (:run, :source, :kind, 'running', :started, CAST(:resumed AS uuid), :host)""")
                .bind("run", runId).bind("source", source).bind("kind", kind)
                .bind("started", utc(startedAt)).bind("resumed", resumedFrom).bind("host", host)
                .execute();
    }

    /**
     * Ends a run still {@code running}; returns its final record, or nothing when the run had already ended: a run's
     * end is written once. Another process marks a run abandoned when the session that held its source's lock is
     * gone (a cut connection, a restarted database), and the process running it, which only learns of its failure
     * then, must not write a second end over the first. A NUL in {@code error} (an adapter's message quoting what it
     * read) is stored as U+FFFD: PostgreSQL's text refuses it, and the failure, which could then not be recorded, was
     * taken for an outage, and the run later marked abandoned without its error. The escapes jsonb refuses in
     * {@code metadata} (a checkpoint position in it as its adapter wrote it) are stored as the chunks store them
     * ({@link CopyRows#jsonbText}).
     *
     * @param metadata what the run was and did beyond its counters, a JSON object
     */
    public static Optional<RunRecord> finish(Handle handle, UUID runId, RunStatus status, Instant finishedAt,
            String error, String metadata) {
        return handle.createQuery("UPDATE etl_runs SET status = :status, finished_at = :finished,"
                        + " duration_ms = GREATEST(0, (EXTRACT(EPOCH FROM (:finished - started_at)) * 1000)::bigint),"
                        + " error = :error, metadata = CAST(:metadata AS jsonb)"
                        + " WHERE run_id = :run AND status = 'running' RETURNING " + RUN_COLUMNS)
                .bind("status", status.code()).bind("finished", utc(finishedAt))
                .bind("error", CopyRows.text(error)).bind("metadata", CopyRows.jsonbText(metadata))
                .bind("run", runId)
                .map(RunLedger::mapRun).findOne();
    }

    /** The run {@code runId} as the ledger shows it, read on {@code handle}. */
    public static Optional<RunRecord> run(Handle handle, UUID runId) {
        return handle.createQuery("SELECT " + RUN_COLUMNS + " FROM etl_runs WHERE run_id = :id")
                .bind("id", runId).map(RunLedger::mapRun).findOne();
    }

    static RunRecord mapRun(ResultSet rs, StatementContext ctx) throws SQLException {
        long durationMs = rs.getLong("duration_ms");
        Long duration = rs.wasNull() ? null : durationMs;
        return new RunRecord(
                rs.getObject("run_id", UUID.class),
                rs.getString("source"),
                rs.getString("kind"),
                RunStatus.fromCode(rs.getString("status")),
                instant(rs, "started_at"),
                instant(rs, "finished_at"),
                duration,
                rs.getLong("records_processed"),
                rs.getLong("records_loaded"),
                rs.getLong("records_unchanged"),
                rs.getLong("records_rejected"),
                rs.getInt("chunks"),
                rs.getString("error"),
                rs.getObject("resumed_from", UUID.class));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
