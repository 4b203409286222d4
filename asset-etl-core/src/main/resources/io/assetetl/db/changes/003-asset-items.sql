--liquibase formatted sql

--changeset asset-etl:003-iso-instant-function splitStatements:false
-- A summary's time (YYYY-MM-DDTHH:MI:SS.ffffffZ) as java.time.Instant writes it: no fraction when it is zero, else
-- milliseconds or microseconds.
CREATE FUNCTION iso_instant(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN length(t) <> 27 THEN t
                WHEN substr(t, 21, 6) = '000000' THEN left(t, 19) || 'Z'
                WHEN substr(t, 24, 3) = '000' THEN left(t, 23) || 'Z'
                ELSE t END
$$;

--changeset asset-etl:003-asset-item-function splitStatements:false
-- An asset as an API lists it: symbol, name, the sources' exact median price (price_usd), the newest source's time,
-- each source's symbol, price and time, and the sources whose price is off the median by more than `threshold`
-- (a share of it). Times are ISO-8601 instants written as java.time.Instant writes them.
CREATE FUNCTION asset_item(symbol text, name text, latest jsonb, threshold numeric) RETURNS json
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT json_build_object(
        'symbol', symbol, 'name', name, 'price_usd', c.median,
        'observed_at', iso_instant(s.newest),
        'sources', s.sources, 'divergent_sources', d.divergent, 'canonical_symbol', symbol)
    FROM (SELECT json_agg(json_build_object(
                     'source', e->>'source', 'symbol', e->>'source_symbol', 'price_usd', e->'price_usd',
                     'observed_at', iso_instant(e->>'observed_at'))
                 ORDER BY e->>'source') AS sources,
                 max(e->>'observed_at') AS newest,
                 array_agg((e->>'price_usd')::numeric ORDER BY (e->>'price_usd')::numeric) AS prices
          FROM jsonb_array_elements(latest) e) s
    CROSS JOIN LATERAL (
        SELECT trim_scale(CASE WHEN cardinality(s.prices) % 2 = 1 THEN s.prices[(cardinality(s.prices) + 1) / 2]
                               ELSE (s.prices[cardinality(s.prices) / 2]
                                     + s.prices[cardinality(s.prices) / 2 + 1]) * 0.5 END) AS median) c
    CROSS JOIN LATERAL (
        SELECT coalesce(json_agg(e->>'source' ORDER BY e->>'source'), '[]'::json) AS divergent
        FROM jsonb_array_elements(latest) e
        WHERE abs((e->>'price_usd')::numeric - c.median) > c.median * threshold) d
$$;

--changeset asset-etl:003-asset-items
-- Each summary's item rendered by the load for the threshold it ran with, so that listing assets reads it as it is;
-- a reader with another threshold renders its own from `latest`.
ALTER TABLE asset_summaries ADD COLUMN item json, ADD COLUMN item_threshold numeric;
