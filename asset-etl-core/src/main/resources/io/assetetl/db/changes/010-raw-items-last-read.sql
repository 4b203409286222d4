--liquibase formatted sql

--changeset asset-etl:010-raw-items-last-read
-- The order reprocess replays a source's API items and keyed records in: the order they were last read, as 007 did
-- for files. An item read again unchanged (a cache answering with an earlier version of a coin, at the same time) is
-- not stored again, yet its values are loaded again, over those of the item read between; replayed where it was
-- first stored, the other item's values ended up the latest. A chunk that reads such an item and changes a canonical
-- row numbers its items again, in the order of their last reading in the chunk, from the sequence; a new row takes
-- the next number when it is stored. A row stored before keeps NULL and its place, its id: the column is added
-- without rewriting the tables, and the sequence starts after every id, so the replay's order, coalesce(last_read,
-- id), which the index serves, puts each row read since after them.
ALTER TABLE raw_coingecko ADD COLUMN last_read bigint;
ALTER TABLE raw_records ADD COLUMN last_read bigint;
-- CACHE 1, the default: the numbers are given in the order they are asked for, whichever session asks (with a
-- cache per session, a later run's session could take numbers below an earlier one's)
CREATE SEQUENCE raw_item_reads CACHE 1;
-- after the ALTERs, which keep every other writer out until the change set commits: no row stored meanwhile has an
-- id beyond the sequence's start
SELECT setval('raw_item_reads',
              greatest((SELECT max(id) FROM raw_coingecko), (SELECT max(id) FROM raw_records), 0) + 1, false);
ALTER TABLE raw_coingecko ALTER COLUMN last_read SET DEFAULT nextval('raw_item_reads');
ALTER TABLE raw_records ALTER COLUMN last_read SET DEFAULT nextval('raw_item_reads');
CREATE INDEX raw_coingecko_read_order ON raw_coingecko (source, (coalesce(last_read, id)));
CREATE INDEX raw_records_read_order ON raw_records (source, (coalesce(last_read, id)));
--rollback DROP INDEX raw_records_read_order;
--rollback DROP INDEX raw_coingecko_read_order;
--rollback ALTER TABLE raw_records DROP COLUMN last_read;
--rollback ALTER TABLE raw_coingecko DROP COLUMN last_read;
--rollback DROP SEQUENCE raw_item_reads;
