package io.assetetl.query;

import static io.assetetl.query.AssetQueries.instant;
import static java.util.Objects.requireNonNull;

import io.assetetl.run.RunRecord;
import io.assetetl.run.RunStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** Reads of the run ledger beyond {@code AssetEtl.runs}: per-source activity, rejects, drift and freshness. */
public final class RunQueries {

    /**
     * The sources of the run ledger as the {@code WITH RECURSIVE} query {@code run_sources}: a loose index scan of
     * its index on {@code source}, each step asking for the next name after the last one.
     */
    private static final String RUN_SOURCES = """
            run_sources AS (
                (SELECT source FROM etl_runs ORDER BY source LIMIT 1)
                UNION ALL
                SELECT (SELECT r.source FROM etl_runs r WHERE r.source > s.source ORDER BY r.source LIMIT 1)
                FROM run_sources s WHERE s.source IS NOT NULL)""";

    /**
     * A loose index scan of each table's index on {@code source}: each step asks the index for the next name after
     * the last one. (Package-private for the test that checks its plan.)
     */
    static final String SOURCE_NAMES = "WITH RECURSIVE " + RUN_SOURCES + """
            ,
            latest_sources AS (
                (SELECT source FROM asset_sources ORDER BY source LIMIT 1)
                UNION ALL
                SELECT (SELECT a.source FROM asset_sources a WHERE a.source > s.source ORDER BY a.source LIMIT 1)
                FROM latest_sources s WHERE s.source IS NOT NULL)
            SELECT source FROM run_sources WHERE source IS NOT NULL
            UNION
            SELECT source FROM latest_sources WHERE source IS NOT NULL
            ORDER BY source""";

    private final Jdbi jdbi;

    public RunQueries(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    /**
     * Each source's last run, success and failure, found through the ledger's indexes: a loose index scan of the
     * sources, then per source its newest ingest run (else its newest run, for a source only ever reprocessed) and
     * the newest ends of its successful and of its failed or abandoned ingests ({@code etl_runs_ingest_successes},
     * {@code etl_runs_ingest_failures}), a few index probes each whatever the number of runs. It sorted every run
     * ever made, at every {@code GET /health}: 0.9 s, spilled to disk, at 164,000 runs.
     */
    private static final String LAST_RUNS_OF_SOURCES = "WITH RECURSIVE " + RUN_SOURCES + """
            ,
            last_runs AS (
                SELECT l.metadata::text AS metadata, l.run_id, s.source, l.kind, l.status, l.started_at,
                       l.finished_at, l.duration_ms, l.records_processed, l.records_loaded, l.records_unchanged,
                       l.records_rejected, l.chunks, l.error, l.resumed_from,
                       (SELECT max(r.finished_at) FROM etl_runs r
                        WHERE r.source = s.source AND r.kind = 'ingest' AND r.status = 'succeeded')
                           AS last_success_at,
                       (SELECT max(coalesce(r.finished_at, r.started_at)) FROM etl_runs r
                        WHERE r.source = s.source AND r.kind = 'ingest' AND r.status IN ('failed', 'abandoned'))
                           AS last_failure_at
                FROM run_sources s
                CROSS JOIN LATERAL (
                    (SELECT * FROM etl_runs r WHERE r.source = s.source AND r.kind = 'ingest'
                     ORDER BY r.started_at DESC, r.run_id LIMIT 1)
                    UNION ALL
                    (SELECT * FROM etl_runs r WHERE r.source = s.source ORDER BY r.started_at DESC, r.run_id LIMIT 1)
                    LIMIT 1) l
                WHERE s.source IS NOT NULL)""";

    /** {@link #lastRuns}' statement. (Package-private for the test that checks its plan.) */
    static final String LAST_RUNS = LAST_RUNS_OF_SOURCES + " SELECT * FROM last_runs ORDER BY source";

    /**
     * {@link #activity}'s statement: the last runs as {@link #LAST_RUNS} finds them, and the totals of each source's
     * ingest runs as {@code etl_source_totals} keeps them (triggers on the ledger count each run and its records as
     * they are written). (Package-private for the test that checks its plan.)
     */
    static final String ACTIVITY = LAST_RUNS_OF_SOURCES + "\n" + """
            SELECT coalesce(t.runs, 0) AS runs, coalesce(t.total_processed, 0) AS total_processed, l.*
            FROM last_runs l LEFT JOIN etl_source_totals t USING (source)
            ORDER BY l.source""";

    /**
     * Per source that has run at least once, sorted by source. The counts, the last run, and the last success and
     * failure are those of the source's ingest runs: a reprocess reads no file and calls no API, so it says nothing
     * about whether the source's feed works and adds no record fetched (only a source that was never ingested shows
     * its last reprocess as its last run; {@code /runs} lists reprocess runs). Like {@link #lastRuns}, it reads a few
     * index entries per source, and one row of totals, whatever the size of the ledger.
     */
    public List<SourceActivity> activity() {
        return jdbi.withHandle(h -> h.createQuery(ACTIVITY)
                .map((rs, ctx) -> new SourceActivity(rs.getString("source"), rs.getLong("runs"),
                        rs.getLong("total_processed"), run(rs), rs.getString("metadata"),
                        instant(rs, "last_success_at"), instant(rs, "last_failure_at")))
                .list());
    }

    /**
     * Per source that has run at least once, sorted by source: its last run, success and failure as {@link #activity}
     * gives them, without the totals, in a few index probes per source whatever the size of the ledger (what
     * {@code GET /health}, which probes call every few seconds, and {@code GET /sources} show).
     */
    public List<SourceLastRuns> lastRuns() {
        return jdbi.withHandle(h -> h.createQuery(LAST_RUNS)
                .map((rs, ctx) -> new SourceLastRuns(rs.getString("source"), run(rs), rs.getString("metadata"),
                        instant(rs, "last_success_at"), instant(rs, "last_failure_at")))
                .list());
    }

    /** How many records of a run were rejected, by reason code, sorted by reason. */
    public Map<String, Long> rejectsByReason(UUID runId) {
        requireNonNull(runId, "runId is null");
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT reason, count(*) AS n FROM etl_rejects WHERE run_id = :run GROUP BY reason ORDER BY reason")
                .bind("run", runId)
                .reduceRows(new LinkedHashMap<String, Long>(), (map, row) -> {
                    map.put(row.getColumn("reason", String.class), row.getColumn("n", Long.class));
                    return map;
                }));
    }

    /** The schema drift a run recorded, oldest first. */
    public List<DriftEventRecord> driftEvents(UUID runId) {
        requireNonNull(runId, "runId is null");
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT source, kind, expected, actual, confidence, action, created_at
                        FROM schema_drift_events WHERE run_id = :run ORDER BY id""")
                .bind("run", runId)
                .map((rs, ctx) -> new DriftEventRecord(rs.getString("source"), rs.getString("kind"),
                        rs.getString("expected"), rs.getString("actual"), rs.getBigDecimal("confidence"),
                        rs.getString("action"), instant(rs, "created_at")))
                .list());
    }

    /** Per source that has canonical rows, sorted by source. */
    public List<SourceFreshness> freshness() {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT source, count(*) AS assets, max(observed_at) AS latest_observed_at,
                               max(updated_at) AS latest_updated_at
                        FROM asset_sources GROUP BY source ORDER BY source""")
                .map((rs, ctx) -> new SourceFreshness(rs.getString("source"), rs.getLong("assets"),
                        instant(rs, "latest_observed_at"), instant(rs, "latest_updated_at")))
                .list());
    }

    /**
     * Every source name the database knows of: those in the run ledger and those with latest values, sorted. A
     * source removed from the configuration keeps both, so its history stays readable by name.
     *
     * <p>One statement that walks each table's index on {@code source}, one probe per distinct name, so its cost
     * follows the number of sources, not of runs or records.
     */
    public List<String> sourceNames() {
        return jdbi.withHandle(h -> h.createQuery(SOURCE_NAMES).mapTo(String.class).list());
    }

    /** Answers when the database does; throws whatever the driver throws when it does not. */
    public void ping() {
        jdbi.useHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
    }

    private static RunRecord run(ResultSet rs) throws SQLException {
        long duration = rs.getLong("duration_ms");
        Long durationMs = rs.wasNull() ? null : duration;
        return new RunRecord(rs.getObject("run_id", UUID.class), rs.getString("source"), rs.getString("kind"),
                RunStatus.fromCode(rs.getString("status")), instant(rs, "started_at"), instant(rs, "finished_at"),
                durationMs, rs.getLong("records_processed"), rs.getLong("records_loaded"),
                rs.getLong("records_unchanged"), rs.getLong("records_rejected"), rs.getInt("chunks"),
                rs.getString("error"), rs.getObject("resumed_from", UUID.class));
    }
}
