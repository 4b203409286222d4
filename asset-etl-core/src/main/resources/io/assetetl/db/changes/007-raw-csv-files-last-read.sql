--liquibase formatted sql

--changeset asset-etl:007-raw-csv-files-last-read
-- The order reprocess replays a source's files in: the order they were last read, not first read. A file read again
-- after another (a feed that re-sends an earlier version, with the same timestamps) writes its values again, over
-- the other's, but its lines are not stored again; replayed in the order the files were first read, the other's
-- values would end up the latest. Each chunk that reads lines of a file takes a new number from the sequence.
CREATE SEQUENCE raw_csv_file_reads;
ALTER TABLE raw_csv_files ADD COLUMN last_read bigint;
UPDATE raw_csv_files SET last_read = file_no;
SELECT setval('raw_csv_file_reads', (SELECT coalesce(max(file_no), 0) + 1 FROM raw_csv_files), false);
ALTER TABLE raw_csv_files ALTER COLUMN last_read SET DEFAULT nextval('raw_csv_file_reads');
ALTER TABLE raw_csv_files ALTER COLUMN last_read SET NOT NULL;
--rollback ALTER TABLE raw_csv_files DROP COLUMN last_read;
--rollback DROP SEQUENCE raw_csv_file_reads;
