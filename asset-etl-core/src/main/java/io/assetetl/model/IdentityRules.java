package io.assetetl.model;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How source symbols become canonical symbols, and which stable source id owns a symbol.
 *
 * <p>The canonical symbol is the trimmed, upper-case symbol after aliases ({@code XBT} → {@code BTC}). For
 * sources with stable ids (CoinGecko), a pinned id owns its symbol ({@code BTC} → {@code bitcoin}); without a pin
 * the first id that claimed a symbol keeps it. Ids that do not own their symbol are never merged into its asset.
 *
 * <p>Pins name the ids of one id space: they apply to the sources of the types in {@code pinnedTypes} alone
 * ({@value #COINGECKO}, whose ids the built-in pins are, by default). Another source with ids of its own (a
 * CoinMarketCap adapter's {@code 1} for Bitcoin) keeps the first id that claimed each symbol: the built-in pins
 * would have made {@code bitcoin} the owner of BTC there too, and rejected each of its ids of a pinned symbol.
 *
 * @param aliases     upper-case alias → upper-case canonical symbol
 * @param pins        upper-case canonical symbol → the stable source id that owns it
 * @param pinnedTypes the source types ({@code SourceDefinition.type()}) whose ids {@code pins} name
 */
public record IdentityRules(Map<String, String> aliases, Map<String, String> pins, Set<String> pinnedTypes) {

    /** The type of the built-in CoinGecko source, whose ids the built-in pins name. */
    public static final String COINGECKO = "coingecko";

    private static final Map<String, String> DEFAULT_ALIASES = Map.of(
            "XBT", "BTC",
            "XDG", "DOGE");

    private static final Map<String, String> DEFAULT_PINS = Map.ofEntries(
            Map.entry("BTC", "bitcoin"),
            Map.entry("ETH", "ethereum"),
            Map.entry("USDT", "tether"),
            Map.entry("USDC", "usd-coin"),
            Map.entry("BNB", "binancecoin"),
            Map.entry("SOL", "solana"),
            Map.entry("XRP", "ripple"),
            Map.entry("DOGE", "dogecoin"),
            Map.entry("ADA", "cardano"),
            Map.entry("TRX", "tron"),
            Map.entry("DOT", "polkadot"),
            Map.entry("LTC", "litecoin"),
            Map.entry("LINK", "chainlink"),
            Map.entry("AVAX", "avalanche-2"),
            Map.entry("SHIB", "shiba-inu"),
            Map.entry("BCH", "bitcoin-cash"),
            Map.entry("XLM", "stellar"),
            Map.entry("UNI", "uniswap"),
            Map.entry("DAI", "dai"),
            Map.entry("WBTC", "wrapped-bitcoin"),
            Map.entry("WETH", "weth"),
            Map.entry("STETH", "staked-ether"),
            Map.entry("TON", "the-open-network"),
            Map.entry("MATIC", "matic-network"),
            Map.entry("ATOM", "cosmos"),
            Map.entry("XMR", "monero"),
            Map.entry("ETC", "ethereum-classic"));

    public IdentityRules {
        aliases = upperKeys(aliases, true);
        pins = upperKeys(pins, false);
        pinnedTypes = Set.copyOf(pinnedTypes);
    }

    /** {@code aliases}, and {@code pins} of CoinGecko ids. */
    public IdentityRules(Map<String, String> aliases, Map<String, String> pins) {
        this(aliases, pins, Set.of(COINGECKO));
    }

    /** The built-in aliases and pins. */
    public static IdentityRules defaults() {
        return new IdentityRules(DEFAULT_ALIASES, DEFAULT_PINS);
    }

    /** These rules with {@code morePins} added (replacing pins of the same symbols). */
    public IdentityRules withPins(Map<String, String> morePins) {
        var merged = new java.util.HashMap<>(pins);
        merged.putAll(upperKeys(morePins, false));
        return new IdentityRules(aliases, merged, pinnedTypes);
    }

    /** These rules with pins that name the ids of the sources of {@code types} instead. */
    public IdentityRules withPinnedTypes(Set<String> types) {
        return new IdentityRules(aliases, pins, types);
    }

    /** Whether the pins name the ids of the sources of {@code type}. */
    public boolean pinsApplyTo(String type) {
        return pinnedTypes.contains(requireNonNull(type, "type is null"));
    }

    /** These rules without pins: those of a source whose ids they do not name. */
    public IdentityRules withoutPins() {
        return new IdentityRules(aliases, Map.of(), pinnedTypes);
    }

    /** The canonical symbol of {@code sourceSymbol}, or empty when nothing is left after trimming. */
    public Optional<String> canonicalSymbol(String sourceSymbol) {
        return Optional.ofNullable(canonicalSymbolOrNull(sourceSymbol));
    }

    /**
     * {@link #canonicalSymbol}, or {@code null} when nothing is left after trimming: for the loop over a file's
     * every record, where an {@code Optional} a record was a twentieth of what a load allocated.
     */
    public String canonicalSymbolOrNull(String sourceSymbol) {
        if (sourceSymbol == null) {
            return null;
        }
        String symbol = sourceSymbol.strip().toUpperCase(Locale.ROOT);
        return symbol.isEmpty() ? null : aliases.getOrDefault(symbol, symbol);
    }

    /** The pinned owner id of a canonical symbol, if one is configured. */
    public Optional<String> pinnedOwner(String canonicalSymbol) {
        return Optional.ofNullable(pins.get(canonicalSymbol));
    }

    private static Map<String, String> upperKeys(Map<String, String> map, boolean upperValues) {
        var copy = new java.util.HashMap<String, String>();
        map.forEach((k, v) -> copy.put(k.strip().toUpperCase(Locale.ROOT),
                upperValues ? v.strip().toUpperCase(Locale.ROOT) : v.strip()));
        return Map.copyOf(copy);
    }
}
