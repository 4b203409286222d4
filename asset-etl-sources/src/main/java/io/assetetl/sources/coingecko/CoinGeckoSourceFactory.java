package io.assetetl.sources.coingecko;

import feign.Client;
import io.assetetl.spi.Source;
import io.assetetl.spi.SourceConfig;
import io.assetetl.spi.SourceContext;
import io.assetetl.spi.SourceFactory;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import okhttp3.ConnectionPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates {@code coingecko} sources: the top coins by market cap from CoinGecko's {@code /coins/markets}.
 *
 * <p>Settings (all optional): {@code base_url} ({@value CoinGeckoSettings#DEFAULT_BASE_URL}), {@code api_key}
 * (sent as {@code x-cg-pro-api-key} to {@code pro-api.coingecko.com}, else as {@code x-cg-demo-api-key}; never
 * logged), {@code rate_limit_per_minute} (30), {@code pages} (4), {@code per_page} (250), {@code vs_currency}
 * (usd), {@code timeout} (PT10S, the longest one call may take), {@code max_attempts} (6), {@code resume_window}
 * (PT30M), {@code initial_backoff} (PT1S) and {@code max_wait} (PT60S, the longest wait between two attempts; a
 * {@code Retry-After} beyond it fails the run without another call); {@code timeout} is 1 ms to a day, and
 * {@code initial_backoff}, {@code max_wait} and {@code resume_window} at most a day.
 *
 * <p>The factory holds one budget (a rate limiter and the {@link Spacing} of its calls) per base URL and API key,
 * which is what CoinGecko counts calls by, so every source it creates (and every run of them) with that URL and key
 * shares it: the budget holds for the whole process. Sources of one budget given different
 * {@code rate_limit_per_minute} are all paced at the lowest of them (with a warning), from the first time a source
 * with that rate is created (a source is created for each run), as paced apart they would together call more often
 * than either allows. Its sources of one {@code timeout} share one HTTP client too.
 * Thread-safe.
 */
public final class CoinGeckoSourceFactory implements SourceFactory {

    public static final String TYPE = "coingecko";

    /** How long a request may queue for the shared limiter before the call fails. */
    private static final Duration LIMITER_QUEUE_LIMIT = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(CoinGeckoSourceFactory.class);

    private final Map<String, RateLimiter> limiters = new ConcurrentHashMap<>();
    private final Map<String, Spacing> spacings = new ConcurrentHashMap<>();
    /** The budgets and rates warned of as paced at a lower rate than given: once each, not at every run. */
    private final Set<String> warnedRates = ConcurrentHashMap.newKeySet();
    private final Sleeper retrySleeper;
    private final Sleeper pacingSleeper;
    private final DoubleSupplier jitter;
    private final Map<Duration, Client> transports = new ConcurrentHashMap<>();

    public CoinGeckoSourceFactory() {
        this(Sleeper.REAL, Sleeper.REAL, () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * @param retrySleeper  waits between attempts
     * @param pacingSleeper waits for the rate limiter
     * @param jitter        values in [0, 1) that spread the retry backoff
     */
    CoinGeckoSourceFactory(Sleeper retrySleeper, Sleeper pacingSleeper, DoubleSupplier jitter) {
        this.retrySleeper = retrySleeper;
        this.pacingSleeper = pacingSleeper;
        this.jitter = jitter;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Source create(String name, SourceConfig config, SourceContext context) {
        CoinGeckoSettings settings = CoinGeckoSettings.from(config);
        return new CoinGeckoSource(name, settings, client(name, settings, context), context.clock());
    }

    /**
     * Calls CoinGecko's {@code /ping} once, through the shared rate limiter and without retries: the health check
     * of a service that reads CoinGecko.
     *
     * @throws io.assetetl.spi.SourceException when CoinGecko cannot be reached or answers with an error
     */
    public CoinGeckoPing ping(String name, SourceConfig config, SourceContext context) {
        CoinGeckoSettings settings = CoinGeckoSettings.from(config);
        return client(name, settings, context).ping();
    }

    private CoinGeckoClient client(String name, CoinGeckoSettings settings, SourceContext context) {
        return new CoinGeckoClient(name, settings, context, transport(settings.timeout()), limiter(settings),
                spacing(settings), retrySleeper, pacingSleeper, jitter, MarketItems.MAPPER);
    }

    /**
     * The HTTP client of the sources with this {@code timeout}: OkHttp, made on first use, which reaches the network
     * once at most for each request it is given, so that every call CoinGecko sees has taken a permit of the budget.
     * <ul>
     *   <li>Its retries are off. The JDK's clients ({@code HttpURLConnection}, Feign's default, and
     *       {@code java.net.http}) send a GET once more by themselves when the connection drops before the answer,
     *       and OkHttp by default sends a failed request again on a new connection. Such a failure is one attempt of
     *       the retry policy, which waits and takes a permit before the next.</li>
     *   <li>It keeps no connection alive between calls, which are a slot apart: a kept-alive connection the server
     *       closed meanwhile would fail the next call (OkHttp does not check a pooled connection before a GET).</li>
     *   <li>It follows no redirect: the hop would be a call without a permit.</li>
     *   <li>{@code timeout} bounds connecting, each read and the whole call: a body trickling in never holds a
     *       run longer than its attempts' timeouts.</li>
     *   <li>An interruption of the calling thread cancels its call at once ({@link InterruptibleOkHttpClient}): a
     *       run being stopped does not wait for the answer.</li>
     * </ul>
     * OkHttp writes no request header to any log, so the API key's header stays out of them.
     */
    private Client transport(Duration timeout) {
        return transports.computeIfAbsent(timeout, t -> new InterruptibleOkHttpClient(
                new okhttp3.OkHttpClient.Builder()
                        .retryOnConnectionFailure(false)
                        .connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS))
                        .followRedirects(false)
                        .followSslRedirects(false)
                        .connectTimeout(t)
                        .readTimeout(t)
                        .writeTimeout(t)
                        .callTimeout(t)
                        .build(),
                MarketPageDecoder.MAX_BODY_BYTES));
    }

    /**
     * The process-wide spacing of a budget's calls: at least {@code 60 s / rate} apart, for the lowest rate its
     * sources were given.
     */
    Spacing spacing(CoinGeckoSettings settings) {
        String budget = budgetKey(settings);
        Duration slot = slot(settings);
        Spacing spacing = spacings.computeIfAbsent(budget, k -> new Spacing(slot, System.nanoTime()));
        Duration kept = spacing.atLeast(slot);
        if (!kept.equals(slot) && warnedRates.add(budget + "|" + settings.ratePerMinute())) {
            LOG.warn("CoinGecko at {}: its sources give different rate_limit_per_minute; all of them are paced at the"
                    + " lowest, one call every {} ms, not {} ms", settings.baseUrl(), kept.toMillis(), slot.toMillis());
        }
        return spacing;
    }

    /** What CoinGecko counts calls by: the key, else the caller's address, which one process keeps. */
    private static String budgetKey(CoinGeckoSettings settings) {
        return settings.baseUrl() + "|" + (settings.hasKey() ? settings.apiKey() : "");
    }

    /**
     * The time between two calls of a budget: a minute shared out, plus 1%. Calls exactly a minute's share apart
     * reach the server a little unevenly (a connection set up for one and not the next): at 3 a minute, calls
     * sent 20 s apart arrived at 0, 19.976, 39.983 and 59.979 s, four in one minute. The 1% (200 ms at 3 a
     * minute, 20 ms at 30) absorbs such differences of up to a third of it at each end of the minute.
     */
    static Duration slot(CoinGeckoSettings settings) {
        return Duration.ofMinutes(1).multipliedBy(101).dividedBy(100L * settings.ratePerMinute());
    }

    /**
     * The process-wide limiter of a budget: one request a {@link #slot} of the rate its first source gave. Where
     * a later source gives a lower rate, the budget's {@link #spacing} keeps calls further apart than this.
     */
    RateLimiter limiter(CoinGeckoSettings settings) {
        return limiters.computeIfAbsent(budgetKey(settings), k -> RateLimiter.of("coingecko-" + limiters.size(),
                RateLimiterConfig.custom()
                        .limitForPeriod(1)
                        .limitRefreshPeriod(slot(settings))
                        .timeoutDuration(LIMITER_QUEUE_LIMIT)
                        .build()));
    }
}
