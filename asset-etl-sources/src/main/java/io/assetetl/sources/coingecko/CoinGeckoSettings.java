package io.assetetl.sources.coingecko;

import io.assetetl.sources.KnownSettings;
import io.assetetl.spi.InvalidSourceConfigException;
import io.assetetl.spi.SourceConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * The validated settings of one CoinGecko source.
 *
 * @param baseUrl            API root without a trailing slash
 * @param apiKey             the API key, or {@code null} for keyless use; never shown by {@link #toString()}
 * @param ratePerMinute      client-side budget of requests per minute, shared by the process
 * @param pages              how many pages of {@code /coins/markets} one snapshot reads at most
 * @param perPage            items per page (1..250)
 * @param vsCurrency         quote currency of the prices
 * @param timeout            the longest one request may take: to connect, between reads, and in all
 * @param maxAttempts        attempts per request, the first included
 * @param resumeWindow       how long after a snapshot started a failed run may still resume it
 * @param initialBackoff     the wait before the first retry (doubled for each further retry, with jitter)
 * @param maxWait            the longest single wait between two attempts; a {@code Retry-After} beyond it ends the
 *                           run without another call
 */
record CoinGeckoSettings(
        String baseUrl,
        String apiKey,
        int ratePerMinute,
        int pages,
        int perPage,
        String vsCurrency,
        Duration timeout,
        int maxAttempts,
        Duration resumeWindow,
        Duration initialBackoff,
        Duration maxWait) {

    static final String DEFAULT_BASE_URL = "https://api.coingecko.com/api/v3";
    static final String PRO_HOST = "pro-api.coingecko.com";
    private static final Duration DAY = Duration.ofDays(1);
    /** The settings a {@code coingecko} source has; any other is refused. */
    static final Set<String> SETTINGS = Set.of("base_url", "api_key", "rate_limit_per_minute", "pages", "per_page",
            "vs_currency", "timeout", "max_attempts", "resume_window", "initial_backoff", "max_wait");

    static CoinGeckoSettings from(SourceConfig config) {
        KnownSettings.check(config, CoinGeckoSourceFactory.TYPE, SETTINGS);
        String baseUrl = validUrl(config.get("base_url", DEFAULT_BASE_URL));
        return new CoinGeckoSettings(
                baseUrl,
                validKey(config.get("api_key").orElse(null)),
                within("rate_limit_per_minute", config.getInt("rate_limit_per_minute", 30), 1, 60_000),
                within("pages", config.getInt("pages", 4), 1, 10_000),
                within("per_page", config.getInt("per_page", 250), 1, 250),
                usd(config.get("vs_currency", "usd").toLowerCase(Locale.ROOT)),
                within("timeout", config.getDuration("timeout", Duration.ofSeconds(10)), Duration.ofMillis(1), DAY),
                within("max_attempts", config.getInt("max_attempts", 6), 1, 100),
                within("resume_window", config.getDuration("resume_window", Duration.ofMinutes(30)), Duration.ZERO,
                        DAY),
                within("initial_backoff", config.getDuration("initial_backoff", Duration.ofSeconds(1)), Duration.ZERO,
                        DAY),
                within("max_wait", config.getDuration("max_wait", Duration.ofSeconds(60)), Duration.ZERO, DAY));
    }

    /** The header CoinGecko expects the key in: the pro host has its own. */
    String keyHeader() {
        String host = URI.create(baseUrl).getHost();
        return PRO_HOST.equalsIgnoreCase(host) ? "x-cg-pro-api-key" : "x-cg-demo-api-key";
    }

    boolean hasKey() {
        return apiKey != null;
    }

    @Override
    public String toString() {
        return "CoinGeckoSettings[base_url=" + baseUrl + ", api_key=" + (hasKey() ? "***" : "none")
                + ", rate_limit_per_minute=" + ratePerMinute + ", pages=" + pages + ", per_page=" + perPage
                + ", vs_currency=" + vsCurrency + ", timeout=" + timeout + ", max_attempts=" + maxAttempts
                + ", resume_window=" + resumeWindow + "]";
    }

    /**
     * {@code vs_currency} when it is {@code usd}: every price the engine stores is in USD ({@code price_usd}), and
     * prices in another currency were stored as dollars and set against the other sources' in the consensus.
     */
    private static String usd(String currency) {
        if (!currency.equals("usd")) {
            throw new InvalidSourceConfigException("setting 'vs_currency' must be usd: prices are stored in USD,"
                    + " and " + currency + " prices would be taken for dollars");
        }
        return currency;
    }

    /**
     * {@code key} when it can be sent as a header: visible ASCII alone. A key pasted with a stray character (a
     * zero-width space, a line break) failed each call with a message that quoted the whole key at {@code DEBUG}.
     */
    private static String validKey(String key) {
        if (key == null) {
            return null;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c <= ' ' || c > '~') {
                throw new InvalidSourceConfigException(String.format("setting 'api_key' (COINGECKO_API_KEY) holds a"
                        + " character no HTTP header can carry (U+%04X at position %d): check what was pasted",
                        (int) c, i + 1));
            }
        }
        return key;
    }

    private static String validUrl(String value) {
        // a key pasted into the URL would be logged with it: refuse it, and never echo more than the path
        String shown = value.replaceAll("[?#].*$", "").replaceAll("//[^/@]*@", "//");
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new InvalidSourceConfigException("setting 'base_url' must be an http(s) URL: " + shown);
            }
            if (uri.getRawQuery() != null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
                throw new InvalidSourceConfigException("setting 'base_url' must not carry a query, fragment or "
                        + "credentials (give the key as api_key): " + shown);
            }
            return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        } catch (URISyntaxException e) {
            throw new InvalidSourceConfigException("setting 'base_url' is not a URL: " + shown);
        }
    }

    private static int within(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidSourceConfigException(
                    "setting '" + key + "' must be within " + min + ".." + max + ": " + value);
        }
        return value;
    }

    /**
     * A duration within {@code min..max}. The longest is a day: CoinGecko's {@code Retry-After} is taken for a day at
     * most, OkHttp refuses timeouts of about 25 days and more, and a {@code max_wait} of centuries overflowed the
     * nanoseconds it is compared in; the shortest timeout is a millisecond, as OkHttp reads a shorter one as none.
     */
    private static Duration within(String key, Duration value, Duration min, Duration max) {
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new InvalidSourceConfigException("setting '" + key + "' must be within " + min + ".." + max + ": "
                    + value);
        }
        return value;
    }
}
