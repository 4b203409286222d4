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
     * A loose index scan of each table's index on {@code source}: each step asks the index for the next name after
     * the last one. (Package-private for the test that checks its plan.)
     */
    static final String SOURCE_NAMES = """
            WITH RECURSIVE run_sources AS (
                (SELECT source FROM etl_runs ORDER BY source LIMIT 1)
                UNION ALL
                SELECT (SELECT r.source FROM etl_runs r WHERE r.source > s.source ORDER BY r.source LIMIT 1)
                FROM run_sources s WHERE s.source IS NOT NULL),
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
     * Per source that has run at least once, sorted by source. The counts, the last run, and the last success and
     * failure are those of the source's ingest runs: a reprocess reads no file and calls no API, so it says nothing
     * about whether the source's feed works and adds no record fetched (only a source that was never ingested shows
     * its last reprocess as its last run; {@code /runs} lists reprocess runs).
     */
    public List<SourceActivity> activity() {
        return jdbi.withHandle(h -> h.createQuery("""
                WITH totals AS (
                    SELECT source, count(*) FILTER (WHERE kind = 'ingest') AS runs,
                           coalesce(sum(records_processed) FILTER (WHERE kind = 'ingest'), 0) AS total_processed,
                           max(finished_at) FILTER (WHERE kind = 'ingest' AND status = 'succeeded') AS last_success_at,
                           max(coalesce(finished_at, started_at))
                               FILTER (WHERE kind = 'ingest' AND status IN ('failed', 'abandoned')) AS last_failure_at
                    FROM etl_runs GROUP BY source),
                latest AS (
                    SELECT DISTINCT ON (source) *
                    FROM etl_runs ORDER BY source, kind = 'ingest' DESC, started_at DESC, run_id)
                SELECT t.runs, t.total_processed, t.last_success_at, t.last_failure_at, l.metadata::text AS metadata,
                       l.run_id, l.source, l.kind, l.status, l.started_at, l.finished_at, l.duration_ms,
                       l.records_processed, l.records_loaded, l.records_unchanged, l.records_rejected, l.chunks,
                       l.error, l.resumed_from
                FROM totals t JOIN latest l USING (source)
                ORDER BY l.source""")
                .map((rs, ctx) -> new SourceActivity(rs.getString("source"), rs.getLong("runs"),
                        rs.getLong("total_processed"), run(rs), rs.getString("metadata"),
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
