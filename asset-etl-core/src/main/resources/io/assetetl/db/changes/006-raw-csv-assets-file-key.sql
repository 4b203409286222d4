--liquibase formatted sql

--changeset asset-etl:006-raw-csv-assets-file-key
-- A stored line is keyed by its file's number (raw_csv_files.file_no, one per source and file) and its line number:
-- two bigints instead of the source, the 64-character file hash and the line number. The rows keep source and
-- file_sha256. Measured with psql on 1M lines of the bench file, 4 alternating COPYs each: 3.68-3.97 s (mean 3.83)
-- against 4.15-4.97 s (mean 4.46), and 356 MB on disk against 413 MB. The key also gives reprocess its replay order
-- within a file. No foreign key to raw_csv_files, as before: the writer adds the file in the same transaction as
-- its lines.
ALTER TABLE raw_csv_assets DROP CONSTRAINT raw_csv_assets_pkey;
ALTER TABLE raw_csv_assets ADD COLUMN file_no bigint;
UPDATE raw_csv_assets r SET file_no = f.file_no
FROM raw_csv_files f WHERE f.source = r.source AND f.file_sha256 = r.file_sha256;
ALTER TABLE raw_csv_assets ALTER COLUMN file_no SET NOT NULL;
ALTER TABLE raw_csv_assets ADD CONSTRAINT raw_csv_assets_pkey PRIMARY KEY (file_no, line_no);
--rollback ALTER TABLE raw_csv_assets DROP CONSTRAINT raw_csv_assets_pkey;
--rollback ALTER TABLE raw_csv_assets DROP COLUMN file_no;
--rollback ALTER TABLE raw_csv_assets ADD CONSTRAINT raw_csv_assets_pkey PRIMARY KEY (source, file_sha256, line_no);
