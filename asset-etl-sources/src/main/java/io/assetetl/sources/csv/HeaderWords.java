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
 * case style, whether it names a currency other than the US dollar, and whether it measures something other than a
 * field's latest value in dollars over 24 hours.
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

    /**
     * Words that scale an amount or give it another unit than the dollar: {@code price_in_cents} holds 100 times the
     * price, {@code market_cap_usd_billions} a billionth of the market cap.
     */
    private static final Set<String> SCALES = Set.of("cent", "cents", "thousand", "thousands", "million",
            "millions", "mn", "mm", "mln", "billion", "billions", "bn", "bln", "trillion", "trillions", "tn");

    /**
     * Scales written as one letter ({@code Price (k)}, {@code Market Cap ($B)}), counted only where the header has
     * them as a word of their own: camel case splits {@code MCap} into {@code m} and {@code cap}.
     */
    private static final Set<String> SCALE_LETTERS = Set.of("k", "m", "b");

    /** Words of a date format, beside which {@code mm} is the month or the minute ({@code Date (DD/MM/YYYY)}). */
    private static final Set<String> DATE_FORMAT = Set.of("dd", "yy", "yyyy", "hh", "ss");

    /** Words naming a share of a whole ({@code market_dominance}, {@code market_share}) rather than an amount. */
    private static final Set<String> SHARES = Set.of("dominance", "share", "ratio", "weight");

    /**
     * Words naming a value other than the latest: an earlier one ({@code price_1h_ago}, {@code prev_close}), one of
     * the day's or a statistic ({@code open_price}, {@code max_price}, {@code avg_price}), or a side of the book
     * ({@code bid}, {@code ask_price}). {@code close}, {@code last} and {@code current} are the latest price.
     */
    private static final Set<String> OTHER_VALUES = Set.of("ago", "old", "prev", "previous", "prior", "yesterday",
            "open", "opening", "max", "min", "avg", "average", "mean", "median", "bid", "ask");

    /** Words naming a time window other than 24 hours; {@code daily} and {@code day} are that window. */
    private static final Set<String> OTHER_WINDOWS = Set.of("hour", "hourly", "week", "weekly", "month", "monthly",
            "quarter", "quarterly", "year", "yearly", "annual", "ytd", "qtd", "mtd", "wtd");

    private static final String WINDOW_UNITS = "m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days|w|wk|wks"
            + "|week|weeks|mo|mon|month|months|y|yr|yrs|year|years";

    /** A window written as a number and a unit ({@code 24h}, {@code 7d}, {@code 1y}). */
    private static final Pattern WINDOW = Pattern.compile("(\\d{1,6})(" + WINDOW_UNITS + ")");

    private static final Pattern WINDOW_UNIT = Pattern.compile(WINDOW_UNITS);

    private static final long MINUTES_IN_24_HOURS = 24 * 60;

    /** Where a header splits into the words it is written with, whatever their case. */
    private static final Pattern DELIMITER = Pattern.compile("[^\\p{L}\\p{N}]+");

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
     * Why a header measures something other than a field's latest value in dollars over 24 hours, if it does: it
     * scales the amount or gives it another unit ({@code price_in_cents}, {@code Market Cap ($B)}), names a share
     * ({@code market_dominance}), a value other than the latest ({@code price_1h_ago}, {@code max_price}) or a
     * window other than 24 hours ({@code volume_7d}, {@code volume 30 days}, {@code volumeWeekly}). {@code 24h},
     * {@code 1d} and {@code daily} are that window.
     */
    static Optional<String> otherMeasure(String header) {
        List<String> words = words(header);
        boolean dateFormat = words.stream().anyMatch(DATE_FORMAT::contains);
        for (String word : withNumbersJoined(words)) {
            if (SCALES.contains(word) && !(word.equals("mm") && dateFormat)) {
                return Optional.of(scaled(word));
            }
            if (SHARES.contains(word)) {
                return Optional.of("'" + word + "' names a share, not an amount");
            }
            if (OTHER_VALUES.contains(word)) {
                return Optional.of("'" + word + "' names another value than the latest");
            }
            if (OTHER_WINDOWS.contains(word) || isOtherWindow(word)) {
                return Optional.of("'" + word + "' names another window than 24 hours");
            }
        }
        for (String word : DELIMITER.split(header.toLowerCase(Locale.ROOT))) {
            if (SCALE_LETTERS.contains(word)) {
                return Optional.of(scaled(word));
            }
        }
        return Optional.empty();
    }

    private static String scaled(String word) {
        return "'" + word + "' scales the amount or names another unit than the dollar";
    }

    /** The words, a number joined to a unit after it ({@code volume 7 days} → {@code volume}, {@code 7days}). */
    private static List<String> withNumbersJoined(List<String> words) {
        List<String> joined = new ArrayList<>(words.size());
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (i + 1 < words.size() && word.chars().allMatch(Character::isDigit)
                    && WINDOW_UNIT.matcher(words.get(i + 1)).matches()) {
                word += words.get(++i);
            }
            joined.add(word);
        }
        return joined;
    }

    private static boolean isOtherWindow(String word) {
        Matcher window = WINDOW.matcher(word);
        return window.matches() && minutes(Long.parseLong(window.group(1)), window.group(2)) != MINUTES_IN_24_HOURS;
    }

    private static long minutes(long count, String unit) {
        if (unit.equals("m") || unit.startsWith("min")) {
            return count;
        }
        return count * switch (unit.charAt(0)) {
            case 'h' -> 60;
            case 'd' -> MINUTES_IN_24_HOURS;
            case 'w' -> 7 * MINUTES_IN_24_HOURS;
            case 'm' -> 30 * MINUTES_IN_24_HOURS;
            default -> 365 * MINUTES_IN_24_HOURS;
        };
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
