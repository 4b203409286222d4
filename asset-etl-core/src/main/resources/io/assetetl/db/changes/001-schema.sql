--liquibase formatted sql

--changeset asset-etl:001-runs
CREATE TABLE etl_runs (
    run_id            uuid        PRIMARY KEY,
    source            text        NOT NULL,
    kind              text        NOT NULL DEFAULT 'ingest' CHECK (kind IN ('ingest', 'reprocess')),
    status            text        NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'abandoned')),
    started_at        timestamptz NOT NULL,
    finished_at       timestamptz,
    duration_ms       bigint,
    records_processed bigint      NOT NULL DEFAULT 0,
    records_loaded    bigint      NOT NULL DEFAULT 0,
    records_unchanged bigint      NOT NULL DEFAULT 0,
    records_rejected  bigint      NOT NULL DEFAULT 0,
    chunks            integer     NOT NULL DEFAULT 0,
    error             text,
    resumed_from      uuid,
    host              text,
    metadata          jsonb       NOT NULL DEFAULT '{}'::jsonb,
    CONSTRAINT etl_runs_counters CHECK (
        status = 'running' OR status = 'abandoned'
        OR records_processed = records_loaded + records_unchanged + records_rejected)
);
CREATE INDEX etl_runs_source_started ON etl_runs (source, started_at DESC);
CREATE INDEX etl_runs_started ON etl_runs (started_at DESC);

--changeset asset-etl:001-assets
CREATE TABLE assets (
    id               bigserial   PRIMARY KEY,
    canonical_symbol text        NOT NULL,
    name             text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT assets_canonical_symbol_key UNIQUE (canonical_symbol),
    CONSTRAINT assets_canonical_symbol_upper CHECK (canonical_symbol = upper(canonical_symbol) AND canonical_symbol <> '')
);

CREATE TABLE asset_sources (
    id             bigserial   PRIMARY KEY,
    asset_id       bigint      NOT NULL REFERENCES assets (id),
    source         text        NOT NULL,
    source_key     text        NOT NULL,
    source_symbol  text        NOT NULL,
    name           text,
    price_usd      numeric     NOT NULL CHECK (price_usd > 0),
    market_cap_usd numeric,
    volume_24h_usd numeric,
    observed_at    timestamptz NOT NULL,
    raw            jsonb       NOT NULL,
    run_id         uuid        NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT asset_sources_source_key UNIQUE (source, source_key),
    -- one owner per canonical symbol and source: other ids of the same symbol are identity conflicts
    CONSTRAINT asset_sources_source_asset UNIQUE (source, asset_id)
);
CREATE INDEX asset_sources_asset ON asset_sources (asset_id);

-- no foreign key here: assets are never deleted, and the check would cost a fifth of the bulk load
CREATE TABLE asset_quotes (
    asset_id       bigint      NOT NULL,
    source         text        NOT NULL,
    observed_at    timestamptz NOT NULL,
    price_usd      numeric     NOT NULL CHECK (price_usd > 0),
    market_cap_usd numeric,
    volume_24h_usd numeric,
    run_id         uuid        NOT NULL,
    CONSTRAINT asset_quotes_pkey PRIMARY KEY (asset_id, source, observed_at)
);

--changeset asset-etl:001-raw
CREATE TABLE raw_csv_assets (
    id          bigserial   PRIMARY KEY,
    source      text        NOT NULL,
    file_sha256 text        NOT NULL,
    line_no     bigint      NOT NULL,
    payload     jsonb       NOT NULL,
    run_id      uuid        NOT NULL,
    ingested_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT raw_csv_assets_line UNIQUE (source, file_sha256, line_no)
);

CREATE TABLE raw_coingecko (
    id          bigserial   PRIMARY KEY,
    source      text        NOT NULL,
    record_key  text        NOT NULL,
    page        integer     NOT NULL,
    item_index  integer     NOT NULL,
    payload     jsonb       NOT NULL,
    fetched_at  timestamptz NOT NULL,
    run_id      uuid        NOT NULL,
    CONSTRAINT raw_coingecko_record UNIQUE (source, record_key)
);

CREATE TABLE raw_records (
    id          bigserial   PRIMARY KEY,
    source      text        NOT NULL,
    record_key  text        NOT NULL,
    payload     jsonb       NOT NULL,
    run_id      uuid        NOT NULL,
    ingested_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT raw_records_record UNIQUE (source, record_key)
);

--changeset asset-etl:001-ledger
CREATE TABLE etl_checkpoints (
    source     text        NOT NULL,
    stream     text        NOT NULL DEFAULT 'default',
    position   jsonb       NOT NULL,
    run_id     uuid        NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT etl_checkpoints_pkey PRIMARY KEY (source, stream)
);

CREATE TABLE etl_rejects (
    id         bigserial   PRIMARY KEY,
    run_id     uuid        NOT NULL,
    source     text        NOT NULL,
    position   text        NOT NULL,
    reason     text        NOT NULL,
    detail     text        NOT NULL,
    raw        jsonb,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX etl_rejects_run ON etl_rejects (run_id, reason);

CREATE TABLE schema_drift_events (
    id         bigserial   PRIMARY KEY,
    run_id     uuid        NOT NULL,
    source     text        NOT NULL,
    kind       text        NOT NULL,
    expected   text,
    actual     text,
    confidence numeric(4, 3) NOT NULL CHECK (confidence BETWEEN 0 AND 1),
    action     text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX schema_drift_events_run ON schema_drift_events (run_id);
