package io.assetetl.sources.csv;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the words of a header say beyond their similarity to a field's names: which words it has, whatever its
 * case style, and whether it names a currency other than the US dollar.
 */
final class HeaderWords {

    /**
     * Words naming a unit other than the US dollar: ISO codes and names of common fiat currencies, euro stablecoins,
     * and the crypto units prices are quoted in. A column in one of them holds other amounts than a {@code *_usd}
     * field, however close its name ({@code price_eur} is 0.91 similar to {@code price_usd}). A header naming both
     * currencies of a pair ({@code btc_usd}) names another currency too: which way it is quoted is anyone's guess.
     *
     * <p>Dollar stablecoins ({@code usdt}, {@code usdc}, {@code busd}, {@code dai}…) are deliberately not listed:
     * exchanges quote crypto against them as the dollar price, they trade at the peg within a fraction of a
     * percent, and a file priced in USDT would otherwise fail to load. {@code price_usdt} is still only a fuzzy
     * match, stored as drift with its confidence and logged as a warning, and a depeg shows as a divergence from
     * the other sources in the consensus price. Euro stablecoins are listed with the euro.
     */
    private static final Set<String> OTHER_CURRENCIES = Set.of(
            "eur", "gbp", "jpy", "cny", "cnh", "rmb", "krw", "inr", "aud", "cad", "chf", "rub", "try", "brl",
            "hkd", "sgd", "nzd", "twd", "sek", "nok", "dkk", "pln", "czk", "huf", "ron", "uah", "mxn", "ars",
            "clp", "cop", "zar", "ngn", "idr", "php", "thb", "vnd", "myr", "pkr", "ils", "aed", "sar",
            "euro", "euros", "yen", "yuan", "renminbi", "pound", "pounds", "sterling", "rupee", "rupees", "ruble",
            "rubles", "rouble", "roubles", "lira", "franc", "francs",
            "eurc", "eurt", "eurs",
            "btc", "xbt", "sat", "sats", "satoshi", "satoshis", "eth", "wei", "gwei");

    /** Dollars of other countries, written with a prefix ({@code A$}, {@code C$}, {@code HK$}, {@code R$}…). */
    private static final Pattern OTHER_DOLLAR = Pattern.compile(
            "(?<![\\p{L}\\p{N}])(?:a|au|c|ca|hk|nz|s|sg|nt|mx|r)\\$", Pattern.CASE_INSENSITIVE);

    /**
     * Where a header splits into words: anything but letters and digits, camel case ({@code priceEUR},
     * {@code EURPrice}) and a number after letters ({@code change24h}).
     */
    private static final Pattern WORD_BREAK = Pattern.compile("[^\\p{L}\\p{N}]+|(?<=[\\p{Ll}\\p{N}])(?=\\p{Lu})"
            + "|(?<=\\p{Lu})(?=\\p{Lu}\\p{Ll})|(?<=\\p{L})(?=\\p{N})");

    private HeaderWords() {
    }

    /** The words of a header, in lower case ({@code marketCapEUR} → {@code market}, {@code cap}, {@code eur}). */
    static List<String> words(String header) {
        List<String> words = new ArrayList<>();
        for (String word : WORD_BREAK.split(header)) {
            if (!word.isEmpty()) {
                words.add(word.toLowerCase(Locale.ROOT));
            }
        }
        return words;
    }

    /**
     * The currency other than the US dollar that a header names, upper-cased ({@code EUR}, {@code BTC}, {@code €},
     * {@code A$}), if any. {@code $}, {@code US$} and {@code usd} are the dollar.
     */
    static Optional<String> otherCurrency(String header) {
        for (int i = 0; i < header.length(); ) {
            int c = header.codePointAt(i);
            if (Character.getType(c) == Character.CURRENCY_SYMBOL && c != '$') {
                return Optional.of(Character.toString(c));
            }
            i += Character.charCount(c);
        }
        Matcher dollar = OTHER_DOLLAR.matcher(header);
        if (dollar.find()) {
            return Optional.of(dollar.group().toUpperCase(Locale.ROOT));
        }
        return words(header).stream().filter(OTHER_CURRENCIES::contains).findFirst()
                .map(word -> word.toUpperCase(Locale.ROOT));
    }
}
