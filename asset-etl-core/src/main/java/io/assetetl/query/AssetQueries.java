package io.assetetl.query;

import static java.util.Objects.requireNonNull;

import io.assetetl.model.IdentityRules;
import io.assetetl.model.Observation;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Canonical assets as an API shows them. Every method runs one statement, whatever the page size.
 *
 * <p>Pages are keyset-paginated on the canonical symbol, so the unique index on that column serves both the order
 * and the continuation, and a page costs the same at the end of the list as at its start.
 */
public final class AssetQueries {

    private static final String SOURCE_COLUMNS = """
            s.source, s.source_key, s.source_symbol, s.name AS source_name, s.price_usd, s.market_cap_usd,
            s.volume_24h_usd, s.observed_at, s.run_id, s.updated_at""";

    private final Jdbi jdbi;
    private final BigDecimal divergenceThreshold;
    private final IdentityRules identity;

    /**
     * @param divergenceThreshold the share of the median beyond which a source is flagged as divergent
     */
    public AssetQueries(Jdbi jdbi, BigDecimal divergenceThreshold) {
        this(jdbi, divergenceThreshold, IdentityRules.defaults());
    }

    /**
     * @param divergenceThreshold the share of the median beyond which a source is flagged as divergent
     * @param identity            the rules that make a symbol as a user writes it canonical (case, white space,
     *                            aliases): those the assets were loaded with
     */
    public AssetQueries(Jdbi jdbi, BigDecimal divergenceThreshold, IdentityRules identity) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.divergenceThreshold = requireNonNull(divergenceThreshold, "divergenceThreshold is null");
        this.identity = requireNonNull(identity, "identity is null");
    }

    /**
     * Up to {@code limit} assets matching {@code filter} whose symbol sorts after {@code afterSymbol}.
     *
     * <p>Reads {@code asset_summaries}, which each run brings in step with {@code asset_sources} when it ends (see
     * {@link io.assetetl.store.internal.AssetSummaries}): one range scan of its symbol index, no join, whatever the
     * filters.
     */
    public AssetPage page(AssetFilter filter, Optional<String> afterSymbol, int limit) {
        List<AssetView> assets = query(filter, afterSymbol, limit,
                "canonical_symbol, name, latest::text AS latest FROM asset_summaries m", q -> { },
                (rs, ctx) -> AssetView.of(rs.getString("canonical_symbol"), rs.getString("name"),
                        SummaryJson.sources(rs.getString("latest")), divergenceThreshold));
        List<AssetView> shown = assets.subList(0, Math.min(limit, assets.size()));
        return new AssetPage(shown, nextAfter(assets, limit, AssetView::symbol));
    }

    /**
     * The same page as {@link #page}, each asset rendered by the database as the JSON object an API lists it as:
     * {@code symbol}, {@code name}, {@code price_usd} (the consensus), {@code observed_at} (the newest source's),
     * {@code sources} (each with {@code source}, {@code symbol}, {@code price_usd}, {@code observed_at}),
     * {@code divergent_sources} and {@code canonical_symbol}. Values are those of {@link #page}, to the digit: the
     * median is exact and timestamps are ISO-8601 instants as {@link Instant#toString()} writes them.
     *
     * <p>The load renders each asset's object as it keeps its summary ({@code asset_item} in the changelog), so a page
     * is read as it is, and a server can write the objects out without parsing or mapping anything per asset.
     */
    public JsonPage pageJson(AssetFilter filter, Optional<String> afterSymbol, int limit) {
        List<String[]> rows = query(filter, afterSymbol, limit, RENDERED_ITEM,
                q -> q.bind("threshold", divergenceThreshold),
                (rs, ctx) -> new String[] {rs.getString("canonical_symbol"), rs.getString("item")});
        return new JsonPage(rows.stream().limit(limit).map(r -> r[1]).toList(), nextAfter(rows, limit, r -> r[0]));
    }

    /** Of up to {@code limit + 1} rows read: the symbol of the last shown, when there are more to show. */
    private static <T> Optional<String> nextAfter(List<T> rows, int limit, Function<T, String> symbol) {
        return rows.size() > limit ? Optional.of(symbol.apply(rows.get(limit - 1))) : Optional.empty();
    }

    /** One page of assets as JSON objects, and the symbol to continue after when there are more. */
    public record JsonPage(List<String> items, Optional<String> lastSymbol) {

        public JsonPage {
            items = List.copyOf(items);
            requireNonNull(lastSymbol, "lastSymbol is null");
        }
    }

    // The item the load rendered with this reader's threshold, else one rendered now from the same latest records.
    private static final String RENDERED_ITEM = """
            m.canonical_symbol, (CASE WHEN m.item_threshold = :threshold THEN m.item
                                      ELSE asset_item(m.canonical_symbol, m.name, m.latest, :threshold) END)::text
                                AS item
            FROM asset_summaries m""";

    /** Reads up to {@code limit + 1} rows of {@code selectFrom} for a page; {@code binder} binds what it needs. */
    private <T> List<T> query(AssetFilter filter, Optional<String> afterSymbol, int limit, String selectFrom,
            Consumer<Query> binder, org.jdbi.v3.core.mapper.RowMapper<T> mapper) {
        requireNonNull(filter, "filter is null");
        requireNonNull(afterSymbol, "afterSymbol is null");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        String symbol = filter.symbol().map(identity::canonicalSymbolOrNull).orElse(null);
        if (filter.symbol().isPresent() && symbol == null) {
            return List.of(); // a symbol of white space alone names no asset
        }
        List<String> where = new ArrayList<>();
        afterSymbol.ifPresent(s -> where.add("m.canonical_symbol > :after"));
        filter.symbol().ifPresent(s -> where.add("m.canonical_symbol = :symbol"));
        filter.source().ifPresent(s -> where.add("m.sources @> ARRAY[CAST(:source AS text)]"));
        filter.minPrice().ifPresent(p -> where.add("m.consensus_price_usd >= :min_price"));
        filter.maxPrice().ifPresent(p -> where.add("m.consensus_price_usd <= :max_price"));
        String sql = "SELECT " + selectFrom + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + " ORDER BY m.canonical_symbol LIMIT :fetch";
        return jdbi.withHandle(h -> {
            Query query = h.createQuery(sql).bind("fetch", (long) limit + 1);
            binder.accept(query);
            afterSymbol.ifPresent(s -> query.bind("after", s));
            filter.symbol().ifPresent(s -> query.bind("symbol", symbol));
            filter.source().ifPresent(s -> query.bind("source", s));
            filter.minPrice().ifPresent(p -> query.bind("min_price", p));
            filter.maxPrice().ifPresent(p -> query.bind("max_price", p));
            return query.map(mapper).list();
        });
    }

    /**
     * One asset, with every source's latest record.
     *
     * @param symbol its symbol in any case, with white space around it or an alias (XBT for BTC) as the identity
     *               rules say; empty when nothing is left of it
     */
    public Optional<AssetView> find(String symbol) {
        String canonicalSymbol = canonical(symbol);
        if (canonicalSymbol == null) {
            return Optional.empty();
        }
        List<AssetView> found = jdbi.withHandle(h -> h.createQuery(
                        "SELECT a.canonical_symbol, a.name AS asset_name, " + SOURCE_COLUMNS + "\n"
                                + "FROM assets a JOIN asset_sources s ON s.asset_id = a.id\n"
                                + "WHERE a.canonical_symbol = :symbol ORDER BY s.source")
                .bind("symbol", canonicalSymbol)
                .scanResultSet((rs, ctx) -> collect(rs.get())));
        return found.stream().findFirst();
    }

    /** {@code symbol} as a user writes it, made canonical by the identity rules; {@code null} when it is blank. */
    private String canonical(String symbol) {
        return identity.canonicalSymbolOrNull(requireNonNull(symbol, "symbol is null"));
    }

    /** Whether an asset of that symbol exists, the symbol read as {@link #find} reads it. */
    public boolean exists(String symbol) {
        String canonicalSymbol = canonical(symbol);
        return canonicalSymbol != null && jdbi.withHandle(h -> h.createQuery(
                        "SELECT EXISTS (SELECT 1 FROM assets WHERE canonical_symbol = :s)")
                .bind("s", canonicalSymbol).mapTo(Boolean.class).one());
    }

    /**
     * An asset's quotes, newest first, the symbol read as {@link #find} reads it. Empty when the asset is unknown
     * or nothing matches.
     *
     * <p>The price history's key leads with the asset and the source, so it orders an asset's quotes by time only
     * within each source: each of the asset's sources gives its newest quotes by a backward scan of the key that
     * stops at the limit, and only those are merged. Ordered over all sources at once, every request would read and
     * sort the asset's whole history.
     */
    public List<Quote> history(String symbol, HistoryFilter filter) {
        String canonicalSymbol = canonical(symbol);
        Optional<HistoryFilter> within = withinStoredYears(requireNonNull(filter, "filter is null"));
        if (canonicalSymbol == null || within.isEmpty()) {
            return List.of();
        }
        return readHistory(canonicalSymbol, within.get());
    }

    /**
     * {@code filter} with its bounds beyond the years quotes are stored in (1 to 9999) left out, or empty when such a
     * bound leaves nothing to list: PostgreSQL's {@code timestamptz} reaches further than those years, but not as far
     * as {@link Instant#MIN} or {@link Instant#MAX}, which the driver cannot even convert.
     */
    private static Optional<HistoryFilter> withinStoredYears(HistoryFilter filter) {
        Optional<Instant> from = filter.from();
        Optional<Instant> to = filter.to();
        if (from.isPresent() && !Observation.inStoredYears(from.get())) {
            if (from.get().isAfter(Instant.EPOCH)) {
                return Optional.empty();
            }
            from = Optional.empty();
        }
        if (to.isPresent() && !Observation.inStoredYears(to.get())) {
            if (to.get().isBefore(Instant.EPOCH)) {
                return Optional.empty();
            }
            to = Optional.empty();
        }
        return Optional.of(new HistoryFilter(filter.source(), from, to, filter.limit()));
    }

    private List<Quote> readHistory(String canonicalSymbol, HistoryFilter filter) {
        return jdbi.withHandle(h -> {
            Query query = h.createQuery(historySql(filter)).bind("symbol", canonicalSymbol)
                    .bind("limit", filter.limit());
            filter.source().ifPresent(s -> query.bind("source", s));
            filter.from().ifPresent(f -> query.bind("from", f.atOffset(java.time.ZoneOffset.UTC)));
            filter.to().ifPresent(t -> query.bind("to", t.atOffset(java.time.ZoneOffset.UTC)));
            return query.map((rs, ctx) -> new Quote(rs.getString("source"), instant(rs, "observed_at"),
                    rs.getBigDecimal("price_usd"), rs.getBigDecimal("market_cap_usd"),
                    rs.getBigDecimal("volume_24h_usd"), rs.getObject("run_id", UUID.class))).list();
        });
    }

    /**
     * The statement of {@link #history}: the source asked for, or else the asset's sources found by skipping
     * through the key (one probe a source), each read newest first up to the limit.
     */
    static String historySql(HistoryFilter filter) {
        String sources = filter.source().isPresent() ? "" : """
                , sources (source) AS (
                    SELECT (SELECT min(q.source) FROM asset_quotes q WHERE q.asset_id = (SELECT id FROM asset))
                    UNION ALL
                    SELECT (SELECT min(q.source) FROM asset_quotes q
                            WHERE q.asset_id = (SELECT id FROM asset) AND q.source > s.source)
                    FROM sources s WHERE s.source IS NOT NULL)""";
        return "WITH RECURSIVE asset AS (SELECT id FROM assets WHERE canonical_symbol = :symbol)" + sources + """

                SELECT q.source, q.observed_at, q.price_usd, q.market_cap_usd, q.volume_24h_usd, q.run_id
                FROM %s CROSS JOIN LATERAL (
                    SELECT * FROM asset_quotes q
                    WHERE q.asset_id = (SELECT id FROM asset) AND q.source = s.source%s%s
                    ORDER BY q.observed_at DESC LIMIT :limit) q
                ORDER BY q.observed_at DESC, q.source LIMIT :limit""".formatted(
                filter.source().isPresent() ? "(SELECT CAST(:source AS text) AS source) s" : "sources s",
                filter.from().isPresent() ? " AND q.observed_at >= :from" : "",
                filter.to().isPresent() ? " AND q.observed_at < :to" : "");
    }

    // Rows arrive ordered by symbol then source: consecutive rows of one symbol make one asset.
    private List<AssetView> collect(ResultSet rs) throws SQLException {
        List<AssetView> out = new ArrayList<>();
        String symbol = null;
        String name = null;
        List<SourcePrice> sources = new ArrayList<>();
        while (rs.next()) {
            String rowSymbol = rs.getString("canonical_symbol");
            if (!rowSymbol.equals(symbol)) {
                if (symbol != null) {
                    out.add(AssetView.of(symbol, name, sources, divergenceThreshold));
                }
                symbol = rowSymbol;
                name = rs.getString("asset_name");
                sources = new ArrayList<>();
            }
            sources.add(new SourcePrice(rs.getString("source"), rs.getString("source_key"),
                    rs.getString("source_symbol"), rs.getString("source_name"), rs.getBigDecimal("price_usd"),
                    rs.getBigDecimal("market_cap_usd"), rs.getBigDecimal("volume_24h_usd"),
                    instant(rs, "observed_at"), rs.getObject("run_id", UUID.class), instant(rs, "updated_at")));
        }
        if (symbol != null) {
            out.add(AssetView.of(symbol, name, sources, divergenceThreshold));
        }
        return out;
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
