--liquibase formatted sql

--changeset asset-etl:002-asset-summaries
-- One row per asset that has at least one source: its sources' latest records and their median price, kept up to
-- date by the load in the same transaction as asset_sources, so that listing assets is one index range scan.
CREATE TABLE asset_summaries (
    asset_id            bigint      PRIMARY KEY REFERENCES assets (id),
    canonical_symbol    text        NOT NULL,
    name                text,
    consensus_price_usd numeric     NOT NULL,
    source_count        integer     NOT NULL,
    sources             text[]      NOT NULL,
    latest              jsonb       NOT NULL,
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT asset_summaries_symbol UNIQUE (canonical_symbol)
);
CREATE INDEX asset_summaries_sources ON asset_summaries USING gin (sources);
CREATE INDEX asset_summaries_price ON asset_summaries (consensus_price_usd);
