--liquibase formatted sql

--changeset asset-etl:004-raw-csv-files
-- The files each CSV source has read, numbered in the order it first read them: reprocess replays the stored lines
-- file by file in that order, each file's lines in line order.
CREATE TABLE raw_csv_files (
    file_no       bigserial   PRIMARY KEY,
    source        text        NOT NULL,
    file_sha256   text        NOT NULL,
    first_run_id  uuid        NOT NULL,
    first_read_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT raw_csv_files_file UNIQUE (source, file_sha256)
);
INSERT INTO raw_csv_files (source, file_sha256, first_run_id, first_read_at)
SELECT source, file_sha256, (array_agg(run_id ORDER BY id))[1], min(ingested_at)
FROM raw_csv_assets GROUP BY source, file_sha256 ORDER BY min(id);

--changeset asset-etl:004-raw-csv-assets-key
-- A stored line is identified by its source, file and line number alone. The surrogate id and its index cost more
-- than a third of the raw COPY; the replay order they gave is now raw_csv_files.file_no, then line_no. No foreign key
-- to raw_csv_files: the writer adds the file in the same transaction as its lines, and the check would cost a lookup
-- a line.
ALTER TABLE raw_csv_assets DROP CONSTRAINT raw_csv_assets_line;
ALTER TABLE raw_csv_assets DROP COLUMN id;
ALTER TABLE raw_csv_assets ADD CONSTRAINT raw_csv_assets_pkey PRIMARY KEY (source, file_sha256, line_no);

--changeset asset-etl:004-asset-summaries-pending
-- Assets whose summary is behind asset_sources. Each chunk adds the assets it changed, in its own transaction; the end
-- of each run (and the start of the next, after a process died mid-run) refreshes them and takes them off.
CREATE TABLE asset_summaries_pending (
    asset_id bigint PRIMARY KEY
);
