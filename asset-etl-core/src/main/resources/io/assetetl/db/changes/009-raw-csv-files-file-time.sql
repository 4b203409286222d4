--liquibase formatted sql

--changeset asset-etl:009-raw-csv-files-file-time
-- A stored file is its content and, for a file whose lines carry no time of their own (a CSV file without a time
-- column), the time it gives them: its modification time when it was read, which each line's payload keeps as well.
-- The same content sent again with another time (v1, v2, then v1 again) dates its lines otherwise: keyed by its
-- content alone, its lines were not stored again and reprocess replayed them at the first time, so that the values
-- the last read loaded were lost. It is now another file, numbered after the others, its lines stored again with
-- their time; read again with the same time, it is the same file and stores nothing new. NULL: the lines carry their
-- own time, and the file is its content alone, as before. A unique index on an expression rather than UNIQUE NULLS
-- NOT DISTINCT, which PostgreSQL 14 and earlier do not have.
ALTER TABLE raw_csv_files ADD COLUMN file_time timestamptz;
-- a file stored before: the time the first of its lines that has one was stored with (the CSV sources write it as
-- an ISO-8601 instant; a value that is none, of another adapter, leaves the file without a time). Every line of such
-- a file has it but a row that could not be read: only a file's first 1,000 lines are looked at, so that the lines
-- of the files with a time column, which have none, are not all read (a file whose first 1,000 lines are all
-- unreadable stays without a time, as every file was before)
UPDATE raw_csv_files f SET file_time = (
    SELECT (r.payload ->> '_etl_observed_at')::timestamptz
    FROM (SELECT payload, line_no FROM raw_csv_assets WHERE file_no = f.file_no ORDER BY line_no LIMIT 1000) r
    WHERE r.payload ->> '_etl_observed_at' ~ '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?Z$'
    ORDER BY r.line_no LIMIT 1);
ALTER TABLE raw_csv_files DROP CONSTRAINT raw_csv_files_file;
CREATE UNIQUE INDEX raw_csv_files_file
    ON raw_csv_files (source, file_sha256, (coalesce(file_time, '-infinity'::timestamptz)));
-- Rolled back, the key is the content alone again: that fails while a source holds one content with two times (the
-- earlier schema cannot tell them apart, and deleting either would lose what it stored).
--rollback DROP INDEX raw_csv_files_file;
--rollback ALTER TABLE raw_csv_files ADD CONSTRAINT raw_csv_files_file UNIQUE (source, file_sha256);
--rollback ALTER TABLE raw_csv_files DROP COLUMN file_time;
