--liquibase formatted sql

--changeset asset-etl:013-etl-source-totals splitStatements:false
-- Each source's ingest runs and the records they processed, which GET /stats shows: kept by triggers on etl_runs
-- as its rows are inserted, counted up by their chunks, deleted or truncated, whoever writes them, so that /stats
-- reads a row per source rather than counting every ingest run the ledger holds (0.22 s at 164,000 runs: the
-- ledger grows by a run per source and interval, for good). Reprocess runs fetch nothing and are not counted.
LOCK TABLE etl_runs IN SHARE ROW EXCLUSIVE MODE;

CREATE TABLE etl_source_totals (
    source          text   PRIMARY KEY,
    runs            bigint NOT NULL,
    total_processed bigint NOT NULL
);

-- Statement triggers, each adding up per source what its statement changed, from its transition tables: a row
-- trigger, updating a source's row once per run row, took 102 s to insert 164,000 runs in one statement, each update
-- walking past the versions of the row the statement had left before it. Sources are added in name order, so two
-- statements that change the same sources wait for each other rather than deadlock. The table is derived: a row
-- deleted by hand is not counted again (a row left with no run is removed rather than counted below zero); the
-- backfill at the end of this change set, run again for its source, restores it.
-- Adds each source's change of runs and records processed to its row, in name order, and removes the rows of the
-- sources changed that have no run left.
CREATE FUNCTION etl_source_totals_add(sources text[], runs bigint[], processed bigint[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO etl_source_totals AS t (source, runs, total_processed)
    SELECT d.source, d.runs, d.processed FROM unnest(sources, runs, processed) AS d (source, runs, processed)
    WHERE d.runs <> 0 OR d.processed <> 0
    ORDER BY d.source
    ON CONFLICT (source) DO UPDATE
    SET runs = t.runs + EXCLUDED.runs, total_processed = t.total_processed + EXCLUDED.total_processed;
    DELETE FROM etl_source_totals WHERE runs <= 0 AND source = ANY (sources);
$$;

CREATE FUNCTION etl_source_totals_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM etl_source_totals_add(array_agg(source), array_agg(runs), array_agg(processed))
    FROM (SELECT source, count(*) AS runs, sum(records_processed)::bigint AS processed FROM inserted_runs
          WHERE kind = 'ingest' GROUP BY source) d;
    RETURN NULL;
END
$$;

CREATE FUNCTION etl_source_totals_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM etl_source_totals_add(array_agg(source), array_agg(runs), array_agg(processed))
    FROM (SELECT source, sum(runs)::bigint AS runs, sum(processed)::bigint AS processed FROM (
              SELECT source, 1 AS runs, records_processed AS processed FROM updated_runs WHERE kind = 'ingest'
              UNION ALL
              SELECT source, -1, -records_processed FROM runs_before WHERE kind = 'ingest') c
          GROUP BY source) d;
    RETURN NULL;
END
$$;

CREATE FUNCTION etl_source_totals_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM etl_source_totals_add(array_agg(source), array_agg(-runs), array_agg(-processed))
    FROM (SELECT source, count(*) AS runs, sum(records_processed)::bigint AS processed FROM deleted_runs
          WHERE kind = 'ingest' GROUP BY source) d;
    RETURN NULL;
END
$$;

CREATE FUNCTION etl_source_totals_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM etl_source_totals;
    RETURN NULL;
END
$$;

CREATE TRIGGER etl_runs_source_totals_insert AFTER INSERT ON etl_runs
    REFERENCING NEW TABLE AS inserted_runs
    FOR EACH STATEMENT EXECUTE FUNCTION etl_source_totals_inserted();
CREATE TRIGGER etl_runs_source_totals_update AFTER UPDATE ON etl_runs
    REFERENCING OLD TABLE AS runs_before NEW TABLE AS updated_runs
    FOR EACH STATEMENT EXECUTE FUNCTION etl_source_totals_updated();
CREATE TRIGGER etl_runs_source_totals_delete AFTER DELETE ON etl_runs
    REFERENCING OLD TABLE AS deleted_runs
    FOR EACH STATEMENT EXECUTE FUNCTION etl_source_totals_deleted();
CREATE TRIGGER etl_runs_source_totals_truncate AFTER TRUNCATE ON etl_runs
    FOR EACH STATEMENT EXECUTE FUNCTION etl_source_totals_truncated();

-- the runs of the ledger so far, in the same transaction as the triggers, with etl_runs locked against writes
INSERT INTO etl_source_totals (source, runs, total_processed)
SELECT source, count(*), coalesce(sum(records_processed), 0) FROM etl_runs WHERE kind = 'ingest' GROUP BY source;
--rollback DROP TRIGGER etl_runs_source_totals_truncate ON etl_runs;
--rollback DROP TRIGGER etl_runs_source_totals_delete ON etl_runs;
--rollback DROP TRIGGER etl_runs_source_totals_update ON etl_runs;
--rollback DROP TRIGGER etl_runs_source_totals_insert ON etl_runs;
--rollback DROP FUNCTION etl_source_totals_truncated();
--rollback DROP FUNCTION etl_source_totals_deleted();
--rollback DROP FUNCTION etl_source_totals_updated();
--rollback DROP FUNCTION etl_source_totals_inserted();
--rollback DROP FUNCTION etl_source_totals_add(text[], bigint[], bigint[]);
--rollback DROP TABLE etl_source_totals;
