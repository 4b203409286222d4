--liquibase formatted sql

--changeset asset-etl:014-asset-items-compact splitStatements:false
-- Assets as /data lists them, written compact as every other answer of the API is: json_build_object and json_agg
-- write a space around each colon and after each comma ({"symbol" : "BTC", ...}), which /data sent as stored.
-- The same members, in the same order, with the same values: each text and number through to_json, as
-- json_build_object writes them. Every stored item is rendered again, with the summaries locked against a load's
-- refresh meanwhile (which would render an item with the function it started with, or deadlock with this), and
-- services that keep pages are told on commit, as a load tells them.
LOCK TABLE asset_summaries IN SHARE ROW EXCLUSIVE MODE;

CREATE OR REPLACE FUNCTION asset_item(symbol text, name text, latest jsonb, threshold numeric) RETURNS json
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ('{"symbol":' || coalesce(to_json(symbol)::text, 'null')
            || ',"name":' || coalesce(to_json(name)::text, 'null')
            || ',"price_usd":' || coalesce(to_json(c.median)::text, 'null')
            || ',"observed_at":' || coalesce(to_json(iso_instant(s.newest))::text, 'null')
            || ',"sources":' || coalesce(s.sources, 'null')
            || ',"divergent_sources":' || d.divergent
            || ',"canonical_symbol":' || coalesce(to_json(symbol)::text, 'null') || '}')::json
    FROM (SELECT '[' || string_agg('{"source":' || coalesce(to_json(e->>'source')::text, 'null')
                                   || ',"symbol":' || coalesce(to_json(e->>'source_symbol')::text, 'null')
                                   || ',"price_usd":' || coalesce((e->'price_usd')::text, 'null')
                                   || ',"observed_at":'
                                   || coalesce(to_json(iso_instant(e->>'observed_at'))::text, 'null') || '}',
                                   ',' ORDER BY e->>'source') || ']' AS sources,
                 max(e->>'observed_at') AS newest,
                 array_agg((e->>'price_usd')::numeric ORDER BY (e->>'price_usd')::numeric) AS prices
          FROM jsonb_array_elements(latest) e) s
    CROSS JOIN LATERAL (
        SELECT trim_scale(CASE WHEN cardinality(s.prices) % 2 = 1 THEN s.prices[(cardinality(s.prices) + 1) / 2]
                               ELSE (s.prices[cardinality(s.prices) / 2]
                                     + s.prices[cardinality(s.prices) / 2 + 1]) * 0.5 END) AS median) c
    CROSS JOIN LATERAL (
        SELECT '[' || coalesce(string_agg(coalesce(to_json(e->>'source')::text, 'null'), ','
                                          ORDER BY e->>'source'), '') || ']' AS divergent
        FROM jsonb_array_elements(latest) e
        WHERE abs((e->>'price_usd')::numeric - c.median) > c.median * threshold) d
$$;
WITH rendered AS (
    UPDATE asset_summaries SET item = asset_item(canonical_symbol, name, latest, item_threshold)
    WHERE item IS NOT NULL RETURNING 1)
SELECT pg_notify('asset_summaries_changed', count(*)::text) FROM rendered HAVING count(*) > 0;
--rollback CREATE OR REPLACE FUNCTION asset_item(symbol text, name text, latest jsonb, threshold numeric) RETURNS json
--rollback LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
--rollback     SELECT json_build_object(
--rollback         'symbol', symbol, 'name', name, 'price_usd', c.median,
--rollback         'observed_at', iso_instant(s.newest),
--rollback         'sources', s.sources, 'divergent_sources', d.divergent, 'canonical_symbol', symbol)
--rollback     FROM (SELECT json_agg(json_build_object(
--rollback                      'source', e->>'source', 'symbol', e->>'source_symbol', 'price_usd', e->'price_usd',
--rollback                      'observed_at', iso_instant(e->>'observed_at'))
--rollback                  ORDER BY e->>'source') AS sources,
--rollback                  max(e->>'observed_at') AS newest,
--rollback                  array_agg((e->>'price_usd')::numeric ORDER BY (e->>'price_usd')::numeric) AS prices
--rollback           FROM jsonb_array_elements(latest) e) s
--rollback     CROSS JOIN LATERAL (
--rollback         SELECT trim_scale(CASE WHEN cardinality(s.prices) % 2 = 1
--rollback                                THEN s.prices[(cardinality(s.prices) + 1) / 2]
--rollback                                ELSE (s.prices[cardinality(s.prices) / 2]
--rollback                                      + s.prices[cardinality(s.prices) / 2 + 1]) * 0.5 END) AS median) c
--rollback     CROSS JOIN LATERAL (
--rollback         SELECT coalesce(json_agg(e->>'source' ORDER BY e->>'source'), '[]'::json) AS divergent
--rollback         FROM jsonb_array_elements(latest) e
--rollback         WHERE abs((e->>'price_usd')::numeric - c.median) > c.median * threshold) d
--rollback $$;
--rollback UPDATE asset_summaries SET item = asset_item(canonical_symbol, name, latest, item_threshold)
--rollback WHERE item IS NOT NULL;
