--liquibase formatted sql

--changeset asset-etl:008-etl-runs-last-chunk-at
-- When a run's last chunk committed: the last moment a run whose process died is known to have been running, which
-- its end and duration are taken from when it is marked abandoned (not the moment it was found, which may be the
-- next run's start, hours later). Written by the chunk's own update of the run's counters.
ALTER TABLE etl_runs ADD COLUMN last_chunk_at timestamptz;
--rollback ALTER TABLE etl_runs DROP COLUMN last_chunk_at;
