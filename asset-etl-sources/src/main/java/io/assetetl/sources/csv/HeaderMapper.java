package io.assetetl.sources.csv;

import io.assetetl.model.DriftEvent;
import io.assetetl.spi.SourceException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;

/**
 * Maps the headers of a messy file to canonical fields: exact names first ({@code price_usd}, any case), then a
 * list of known aliases ({@code ticker}, {@code Price (USD)}, {@code Mkt Cap}…, compared after normalisation), then
 * fuzzy matching (Jaro-Winkler similarity to the names and aliases) above a threshold. Of two columns that name a
 * field equally well (the same alias once normalised, {@code Price (USD)} and {@code Price(USD)}; misspellings as
 * similar), the first in the file is read. Only then does the order of the headers count: a file whose mapping it
 * decides has it kept in each row's stored payload ({@link Payload#COLUMNS}), so that {@code reprocess} maps the row
 * as the file was.
 *
 * <p>A fuzzy mapping's confidence is its similarity times {@value #ALIAS_CONFIDENCE}, the confidence of a known
 * alias ({@link #fuzzyConfidence}). That confidence is the one number used: a header is mapped when it reaches the
 * threshold, it is what the drift event stores, and what the error quotes for the best guesses.
 *
 * <p>Some headers are vetoed whatever their similarity: those naming other data ({@code price_change_24h}), those
 * naming a currency other than the US dollar ({@code price_eur}, {@code Price (BTC)}, {@code Price (€)}; see
 * {@link HeaderWords#otherCurrency}), and, for the amounts, those measuring something other than their latest value
 * in dollars over 24 hours ({@code price_in_cents}, {@code market_dominance}, {@code price_1h_ago},
 * {@code max_price}, {@code volume_7d}; see {@link HeaderWords#otherMeasure}: {@code time_open} or
 * {@code Date (Hourly)} is still a timestamp). Such a column is no symbol, name or timestamp either
 * ({@code price_btc} is 0.90 similar to {@code price_date}): it is mapped to nothing and stays in the raw payload.
 * Vetoes apply to fuzzy matching; no known alias has a vetoed word ({@code close} and {@code last_price} are the
 * latest price), so the one veto an alias can meet is a currency that normalisation drops ({@code Price (€)} reads
 * as {@code price}), and it is mapped to nothing either.
 *
 * <p>A repeated header ({@code price} twice, whose second column {@link Payload#keys} names {@code price_2}; see
 * {@link Payload#firstOfRepeat}), also one repeated in another case ({@code Price} after {@code price}, which are
 * two keys of the payload, both kept), is never mapped: the field is read from the first column, and each repeat is
 * a {@value ColumnMapping#HEADER_DUPLICATE} drift event (a {@code header_unmapped} one if the first is mapped to
 * nothing), as in the clean {@code csv} format.
 *
 * <p>A file needs a price column and a symbol column; a name column whose values carry the ticker
 * ({@code Bitcoin (BTC)}) can stand in for the symbol. Without them the mapping fails with an error naming the
 * headers found and the best guesses.
 */
final class HeaderMapper {

    static final double ALIAS_CONFIDENCE = 0.95;

    static final Map<Field, List<String>> ALIASES = aliases();

    /**
     * Headers containing one of these words are other data that only look similar ({@code price_change_24h}, and
     * in camel case {@code priceChange24h}; {@code date_added}, the day a coin was listed, is no observation time):
     * a price someone expects, aims at or paid ({@code price_prediction}, {@code price_target}, {@code buy_price}),
     * an amount in the asset's own units ({@code volume_24h_base}, {@code Volume (coins)}), and columns that only
     * share letters with a field's names ({@code timezone} with {@code timestamp}; and, as whole headers,
     * {@code source} with it and {@code market} or {@code quote} with {@code market_cap}), which made a run reject
     * every row, or load a target as the price.
     */
    private static final Set<String> NEVER_FUZZY = Set.of("change", "pct", "percent", "percentage", "rank", "supply",
            "high", "low", "ath", "atl", "id", "url", "description", "category", "tags", "diluted", "roi", "added",
            "listed", "listing", "launch", "launched", "genesis", "prediction", "predicted", "forecast", "target",
            "paid", "buy", "sell", "cost", "entry", "fdv", "base", "native", "coins", "tokens", "timezone", "tz",
            "tier");

    /** Whole headers that name other data, though they share letters with a field's names or aliases. */
    private static final Set<String> NEVER_FUZZY_HEADERS = Set.of("source", "market", "quote", "exchange", "pair",
            "currency", "vs_currency", "currency_code", "quote_currency", "base_currency");

    /**
     * Words that name an amount. A header with one is no symbol, name or timestamp, however similar to their names it
     * is ({@code price_latest} is 0.93 similar to the timestamp's alias {@code price_date}, {@code last_close} 0.89),
     * unless it also has a word of time ({@code price_date} is a timestamp).
     */
    private static final Set<String> AMOUNT_WORDS = Set.of("price", "prices", "close", "rate", "cap", "marketcap",
            "mcap", "capitalization", "capitalisation", "volume", "vol", "turnover");

    /**
     * Words that name a time. A header with one is no amount, however similar to an amount's names it is
     * ({@code close_time}, the time a candle closed, is 0.91 similar to the price's alias {@code close_price}).
     */
    private static final Set<String> TIME_WORDS = Set.of("time", "times", "timestamp", "date", "datetime", "ts",
            "updated", "created", "seen");

    private static final JaroWinklerSimilarity SIMILARITY = new JaroWinklerSimilarity();

    private final double threshold;

    HeaderMapper(double threshold) {
        this.threshold = threshold;
    }

    private static Map<Field, List<String>> aliases() {
        Map<Field, List<String>> a = new EnumMap<>(Field.class);
        a.put(Field.SYMBOL, List.of("symbol", "ticker", "ticker_symbol", "coin_symbol", "asset_symbol",
                "token_symbol", "crypto_symbol", "currency_symbol", "sym", "symbol_code", "symbole", "simbolo"));
        a.put(Field.NAME, List.of("name", "coin_name", "asset_name", "token_name", "crypto_name", "currency_name",
                "full_name", "coin", "asset", "cryptocurrency", "nom", "nombre"));
        a.put(Field.PRICE, List.of("price_usd", "price", "usd_price", "price_in_usd", "current_price", "last_price",
                "price_usd_latest", "price_latest", "spot_price", "close", "close_price", "value", "rate", "usd",
                "usd_rate", "quote_usd", "price_dollars", "prix", "prix_usd", "precio", "precio_usd", "last",
                "last_trade_price", "quote_usd_price"));
        a.put(Field.MARKET_CAP, List.of("market_cap_usd", "market_cap", "marketcap", "mkt_cap", "mktcap",
                "market_capitalization", "market_capitalisation", "cap", "mcap", "usd_market_cap", "mkt_cap_usd",
                "market_value", "quote_usd_market_cap"));
        a.put(Field.VOLUME_24H, List.of("volume_24h_usd", "volume_24h", "24h_volume", "24h_vol", "vol_24h",
                "volume_24h_usd_", "volume", "vol", "total_volume", "usd_24h_vol", "volume_usd", "trading_volume",
                "daily_volume", "quote_usd_volume_24h"));
        a.put(Field.TIMESTAMP, List.of("timestamp", "date", "time", "datetime", "date_time", "last_updated",
                "last_updated_at", "updated_at", "updated", "last_update", "source_updated_at", "as_of", "asof",
                "observed_at", "last_seen", "ts", "snapshot_date", "price_date", "fecha", "horodatage", "close_time",
                "open_time", "quote_usd_last_updated"));
        return a;
    }

    /** Lower case, runs of anything but letters and digits as one {@code _}, none at either end. */
    static String normalize(String header) {
        StringBuilder b = new StringBuilder(header.length());
        boolean gap = false;
        for (int i = 0; i < header.length(); i++) {
            char c = Character.toLowerCase(header.charAt(i));
            if (Character.isLetterOrDigit(c)) {
                if (gap && b.length() > 0) {
                    b.append('_');
                }
                b.append(c);
                gap = false;
            } else {
                gap = true;
            }
        }
        return b.toString();
    }

    /** A fuzzy match of {@code header}, the {@code column}-th mappable header, to {@code field}. */
    private record Candidate(Field field, String header, int column, double similarity) {
    }

    /**
     * Maps {@code headers} (payload keys; reserved {@code _etl_} keys are ignored).
     *
     * @throws SourceException when price, or both symbol and name, have no column at or above the threshold
     */
    ColumnMapping map(List<String> headers) {
        // in the file's order, as a failure lists them and as ties between columns are decided
        List<String> inFileOrder = headers.stream().filter(h -> !h.startsWith(Payload.RESERVED_PREFIX)).toList();
        Map<String, String> repeats = repeats(inFileOrder);
        Set<String> free = new LinkedHashSet<>(inFileOrder);
        free.removeAll(repeats.keySet());
        List<String> mappable = List.copyOf(free);
        Map<Field, String> mapped = new EnumMap<>(Field.class);
        List<DriftEvent> drift = new ArrayList<>();

        for (Field field : Field.values()) {
            for (String exact : field.exactNames()) {
                String hit = free.stream().filter(h -> h.equalsIgnoreCase(exact)).findFirst().orElse(null);
                if (hit != null) {
                    mapped.put(field, hit);
                    free.remove(hit);
                    break;
                }
            }
        }
        // a candle file's volume is the candle's, in the base asset or the quote currency: no 24-hour dollar volume
        boolean candles = isCandleFile(free);
        for (Field field : Field.values()) {
            if (mapped.containsKey(field) || (candles && field == Field.VOLUME_24H)) {
                continue;
            }
            for (String alias : ALIASES.get(field)) {
                String hit = free.stream()
                        .filter(h -> normalize(h).equals(alias) && HeaderWords.otherCurrency(h).isEmpty())
                        .findFirst().orElse(null);
                if (hit != null) {
                    mapped.put(field, hit);
                    free.remove(hit);
                    drift.add(new DriftEvent("header_alias", field.canonicalName(), hit, ALIAS_CONFIDENCE,
                            "mapped"));
                    break;
                }
            }
        }
        List<Candidate> candidates = new ArrayList<>();
        for (Field field : Field.values()) {
            if (!mapped.containsKey(field) && !(candles && field == Field.VOLUME_24H)) {
                for (int column = 0; column < mappable.size(); column++) {
                    String h = mappable.get(column);
                    if (!free.contains(h)) {
                        continue;
                    }
                    double similarity = score(field, h);
                    if (fuzzyConfidence(similarity) >= threshold) {
                        candidates.add(new Candidate(field, h, column, similarity));
                    }
                }
            }
        }
        candidates.sort(Comparator.comparingDouble(Candidate::similarity).reversed()
                .thenComparing(Candidate::field).thenComparingInt(Candidate::column));
        for (Candidate c : candidates) {
            if (!mapped.containsKey(c.field()) && free.contains(c.header())) {
                mapped.put(c.field(), c.header());
                free.remove(c.header());
                drift.add(new DriftEvent("header_fuzzy", c.field().canonicalName(), c.header(),
                        fuzzyConfidence(c.similarity()), "mapped"));
            }
        }

        boolean symbolFromName = !mapped.containsKey(Field.SYMBOL) && mapped.containsKey(Field.NAME);
        if (!mapped.containsKey(Field.PRICE) || !(mapped.containsKey(Field.SYMBOL) || symbolFromName)) {
            throw new SourceException(missingRequired(mapped, inFileOrder, mappable));
        }
        if (symbolFromName) {
            drift.add(new DriftEvent("field_derived", Field.SYMBOL.canonicalName(), mapped.get(Field.NAME), 1.0,
                    "symbol_from_name"));
        }
        for (String h : free) {
            drift.add(ColumnMapping.unmapped(h));
        }
        for (Map.Entry<String, String> repeat : repeats.entrySet()) {
            drift.add(fieldIn(mapped, repeat.getValue())
                    .map(field -> new DriftEvent(ColumnMapping.HEADER_DUPLICATE, field.canonicalName(),
                            repeat.getKey(), 1.0, "ignored"))
                    .orElseGet(() -> ColumnMapping.unmapped(repeat.getKey())));
        }
        for (Field field : Field.values()) {
            if (!mapped.containsKey(field) && !(field == Field.SYMBOL && symbolFromName)) {
                drift.add(ColumnMapping.missing(field));
            }
        }
        return new ColumnMapping(mapped, symbolFromName, drift);
    }

    /**
     * Each repeat of a header (the key {@link Payload#keys} gives a second {@code price}, and a header written again
     * in another case, {@code Price} after {@code price}) → the key of the header's first column, in file order.
     */
    private static Map<String, String> repeats(List<String> inFileOrder) {
        Set<String> keys = new LinkedHashSet<>(inFileOrder);
        Map<String, String> repeats = new LinkedHashMap<>();
        for (String h : keys) {
            Payload.firstOfRepeat(h, keys).ifPresent(first -> repeats.put(h, first));
        }
        Map<String, String> firstInAnyCase = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String h : keys) {
            if (!repeats.containsKey(h)) {
                String first = firstInAnyCase.putIfAbsent(h, h);
                if (first != null) {
                    repeats.put(h, first);
                }
            }
        }
        // price_2 after Price and price repeats Price: its own first column is a repeat in another case
        repeats.replaceAll((h, first) -> repeats.getOrDefault(first, first));
        return repeats;
    }

    private static Optional<Field> fieldIn(Map<Field, String> mapped, String header) {
        return mapped.entrySet().stream().filter(e -> e.getValue().equals(header)).map(Map.Entry::getKey)
                .findFirst();
    }

    /**
     * How sure a fuzzy mapping is: as sure as a known alias ({@value #ALIAS_CONFIDENCE}), times how similar the header
     * is to it, rounded to three decimals as stored. So a misspelling never scores above a known alias
     * ({@code Volum 24h}, 0.98 similar, has 0.931 against an alias's 0.95), and the threshold is compared with this
     * number: at the default 0.80 a header must be at least 0.843 similar.
     */
    static double fuzzyConfidence(double similarity) {
        return round(similarity * ALIAS_CONFIDENCE);
    }

    /** The best similarity of a header to a field's names and aliases; 0 for headers that are vetoed. */
    static double score(Field field, String header) {
        return veto(field, header).isPresent() ? 0 : rawScore(field, header);
    }

    /** Why a header can never be mapped fuzzily to {@code field}, whatever its similarity; empty if it can. */
    static Optional<String> veto(Field field, String header) {
        if (NEVER_FUZZY_HEADERS.contains(normalize(header))) {
            return Optional.of("'" + header.strip() + "' names other data");
        }
        for (String word : HeaderWords.words(header)) {
            if (NEVER_FUZZY.contains(word)) {
                return Optional.of("'" + word + "' marks other data");
            }
        }
        Optional<String> currency = HeaderWords.otherCurrency(header);
        if (currency.isPresent()) {
            return Optional.of("in " + currency.get() + ", not USD");
        }
        Optional<String> otherMeasure = isAmount(field) ? HeaderWords.otherMeasure(header) : Optional.empty();
        if (otherMeasure.isPresent()) {
            return otherMeasure;
        }
        Optional<String> otherKind = otherKind(field, HeaderWords.words(header));
        if (otherKind.isPresent()) {
            return otherKind;
        }
        String h = normalize(header);
        for (Map.Entry<Field, List<String>> names : ALIASES.entrySet()) {
            if (names.getKey() != field && names.getValue().contains(h)) {
                // a name of another field (that field is taken): not a misspelling of this one
                return Optional.of("an alias of " + names.getKey().canonicalName());
            }
        }
        return Optional.empty();
    }

    /** Why a header's words name another kind of value than {@code field}'s (an amount, a time), if they do. */
    private static Optional<String> otherKind(Field field, List<String> words) {
        Optional<String> time = words.stream().filter(TIME_WORDS::contains).findFirst();
        if (isAmount(field)) {
            return time.map(word -> "'" + word + "' names a time, not an amount");
        }
        if (field == Field.TIMESTAMP && time.isPresent()) {
            return Optional.empty();
        }
        return words.stream().filter(AMOUNT_WORDS::contains).findFirst()
                .map(word -> "'" + word + "' names an amount");
    }

    /**
     * Whether the headers are a candle file's (OHLC: open, high, low and close columns, as exchanges' kline exports
     * have): its volume column holds the candle's volume, over the candle's interval and in the base asset or the
     * quote currency, so none of its columns is the 24-hour dollar volume unless it is named exactly so.
     */
    private static boolean isCandleFile(Set<String> headers) {
        Set<String> names = new HashSet<>();
        for (String h : headers) {
            names.add(normalize(h));
        }
        return names.contains("open") && names.contains("high") && names.contains("low")
                && (names.contains("close") || names.contains("close_price"));
    }

    /** Whether {@code field} holds an amount in dollars, which a scale, a share, a past value or a window change. */
    private static boolean isAmount(Field field) {
        return field == Field.PRICE || field == Field.MARKET_CAP || field == Field.VOLUME_24H;
    }

    /** The error of a mapping without a required field, with the best guess of each among {@code mappable}. */
    private String missingRequired(Map<Field, String> mapped, List<String> headers, List<String> mappable) {
        List<String> missing = new ArrayList<>();
        if (!mapped.containsKey(Field.SYMBOL) && !mapped.containsKey(Field.NAME)) {
            missing.add("symbol");
        }
        if (!mapped.containsKey(Field.PRICE)) {
            missing.add("price");
        }
        Map<String, String> guesses = new LinkedHashMap<>();
        for (Field field : List.of(Field.SYMBOL, Field.PRICE)) {
            if (!mapped.containsKey(field) && !(field == Field.SYMBOL && mapped.containsKey(Field.NAME))) {
                mappable.stream().filter(h -> !mapped.containsValue(h))
                        .max(Comparator.comparingDouble((String h) -> rawScore(field, h))
                                .thenComparing(Comparator.reverseOrder()))
                        .ifPresent(h -> guesses.put(field.canonicalName(), "'" + h + "' ("
                                + String.format(Locale.ROOT, "%.3f", fuzzyConfidence(rawScore(field, h)))
                                + veto(field, h).map(why -> ", vetoed: " + why).orElse("") + ")"));
            }
        }
        return "cannot map required field(s) " + String.join(", ", missing) + ": headers found "
                + ColumnMapping.forMessage(headers)
                + "; best guesses " + guesses + " are vetoed or below the fuzzy threshold " + decimals(threshold);
    }

    /** The threshold as configured, with at least two decimals ({@code 0.80}, {@code 0.875}). */
    private static String decimals(double value) {
        BigDecimal d = BigDecimal.valueOf(value);
        return d.setScale(Math.max(2, d.scale())).toPlainString();
    }

    private static double rawScore(Field field, String header) {
        String h = normalize(header);
        double best = 0;
        for (String alias : ALIASES.get(field)) {
            best = Math.max(best, SIMILARITY.apply(h, alias));
        }
        return best;
    }

    private static double round(double score) {
        return Math.min(1.0, Math.round(score * 1000) / 1000.0);
    }
}
