--liquibase formatted sql

--changeset asset-etl:010-raw-items-last-read
-- The order reprocess replays a source's API items and keyed records in: the order they were last read, as 007 did
-- for files. An item read again unchanged (a cache answering with an earlier version of a coin, at the same time) is
-- not stored again, yet its values are loaded again, over those of the item read between; replayed where it was
-- first stored, the other item's values ended up the latest. Each chunk that reads such an item numbers its items
-- again, in the order of their last reading in the chunk, from the same sequence. The rows stored before keep their
-- order: their ids.
CREATE SEQUENCE raw_item_reads;
ALTER TABLE raw_coingecko ADD COLUMN last_read bigint;
UPDATE raw_coingecko SET last_read = id;
ALTER TABLE raw_records ADD COLUMN last_read bigint;
UPDATE raw_records SET last_read = id;
SELECT setval('raw_item_reads',
              greatest((SELECT max(id) FROM raw_coingecko), (SELECT max(id) FROM raw_records), 0) + 1, false);
ALTER TABLE raw_coingecko ALTER COLUMN last_read SET DEFAULT nextval('raw_item_reads'),
                          ALTER COLUMN last_read SET NOT NULL;
ALTER TABLE raw_records ALTER COLUMN last_read SET DEFAULT nextval('raw_item_reads'),
                        ALTER COLUMN last_read SET NOT NULL;
CREATE INDEX raw_coingecko_last_read ON raw_coingecko (source, last_read);
CREATE INDEX raw_records_last_read ON raw_records (source, last_read);
--rollback DROP INDEX raw_records_last_read;
--rollback DROP INDEX raw_coingecko_last_read;
--rollback ALTER TABLE raw_records DROP COLUMN last_read;
--rollback ALTER TABLE raw_coingecko DROP COLUMN last_read;
--rollback DROP SEQUENCE raw_item_reads;
