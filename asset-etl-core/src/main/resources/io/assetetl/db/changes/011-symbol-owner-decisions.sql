--liquibase formatted sql

--changeset asset-etl:011-symbol-owner-decisions
-- Who owned each canonical symbol of a source with ids, from which read on: a row each time an ingest's chunk gave
-- a symbol another owner than the one last noted (the first id that claimed it, a pin, or the next id to claim it
-- after its owner moved to another symbol). from_read is the first number raw_item_reads gave the chunk's API items
-- and keyed records, so every item that chunk stored or numbered again is at or after it, and every item read
-- before it is before it. reprocess gives each item it replays the owner noted last at or before the item's own
-- read number, the owner its chunk gave it, whatever the pages of the replay are; the owners decided anew would
-- follow the replay's pages, and a symbol whose owner moved away would be given to the id that owns it at the end.
-- Items stored before this change set have no owner noted and are resolved as before.
CREATE TABLE symbol_owner_decisions (
    source           text        NOT NULL,
    canonical_symbol text        NOT NULL,
    from_read        bigint      NOT NULL,
    owner_key        text        NOT NULL,
    run_id           uuid        NOT NULL,
    decided_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, canonical_symbol, from_read)
);
--rollback DROP TABLE symbol_owner_decisions;
