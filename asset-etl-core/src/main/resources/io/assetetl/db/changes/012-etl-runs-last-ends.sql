--liquibase formatted sql

--changeset asset-etl:012-etl-runs-last-ends
-- Each source's last success and last failure, which GET /health, /sources and /stats show: the newest end of its
-- successful, and of its failed or abandoned, ingest runs, read from the end of these indexes rather than from
-- every run the ledger holds (the ledger grows by a run per source and interval, for good).
CREATE INDEX etl_runs_ingest_successes ON etl_runs (source, finished_at)
    WHERE kind = 'ingest' AND status = 'succeeded';
CREATE INDEX etl_runs_ingest_failures ON etl_runs (source, (coalesce(finished_at, started_at)))
    WHERE kind = 'ingest' AND status IN ('failed', 'abandoned');
--rollback DROP INDEX etl_runs_ingest_failures;
--rollback DROP INDEX etl_runs_ingest_successes;
