package io.assetetl.sources.coingecko;

import com.fasterxml.jackson.databind.ObjectMapper;
import feign.Client;
import feign.Feign;
import feign.RetryableException;
import feign.Retryer;
import io.assetetl.spi.RetriableSourceException;
import io.assetetl.spi.SourceContext;
import io.assetetl.spi.SourceException;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CoinGecko over Feign with exactly one retry layer: Feign's retryer and the HTTP client's are off, and a
 * resilience4j {@link Retry} decides whether and when to try again (429, 5xx, timeouts and unreadable bodies; never
 * other 4xx). The waits go through a {@link Sleeper}, so tests need not sleep. An interruption of the calling thread
 * (a run being stopped) ends the wait for a permit, for an answer (the call is cancelled) or before a retry at once,
 * and fails the call without another attempt, the thread's interrupt status kept. Thread-safe.
 */
final class CoinGeckoClient {

    private static final Logger LOG = LoggerFactory.getLogger(CoinGeckoClient.class);

    private final CoinGeckoApi api;
    private final Retry retry;
    private final CoinGeckoSettings settings;
    private final SourceContext context;
    private final Sleeper sleeper;
    private final String source;
    private final Spacing spacing;
    private final PacedClient paced;

    CoinGeckoClient(String source, CoinGeckoSettings settings, SourceContext context, Client transport,
            RateLimiter limiter, Spacing spacing, Sleeper sleeper, Sleeper pacingSleeper, DoubleSupplier jitter,
            ObjectMapper mapper) {
        this.source = source;
        this.settings = settings;
        this.context = context;
        this.sleeper = sleeper;
        this.spacing = spacing;
        this.paced = new PacedClient(transport, limiter, spacing, pacingSleeper, context.metrics(), source,
                settings.maxWait());
        Feign.Builder builder = Feign.builder()
                .client(paced)
                // a redirect followed by the HTTP client would be a call without a permit: it is reported instead
                .options(new feign.Request.Options(settings.timeout(), settings.timeout(), false))
                .retryer(Retryer.NEVER_RETRY)
                .decoder(new MarketPageDecoder(mapper, settings.apiKey(), settings.timeout(),
                        MarketPageDecoder.MAX_BODY_BYTES))
                .errorDecoder(new UpstreamErrorDecoder(mapper, context.clock(), settings.apiKey()));
        if (settings.hasKey()) {
            String header = settings.keyHeader();
            builder.requestInterceptor(request -> request.header(header, settings.apiKey()));
        }
        this.api = builder.target(CoinGeckoApi.class, settings.baseUrl());
        this.retry = Retry.of("coingecko-" + source, RetryConfig.custom()
                .maxAttempts(settings.maxAttempts())
                .retryOnException(e -> e instanceof RetriableSourceException)
                .intervalBiFunction(new Backoff(settings.initialBackoff(), settings.maxWait(), jitter))
                .build());
    }

    /** One page of {@code /coins/markets}, retried as configured. */
    CoinGeckoApi.MarketPage marketsPage(int page) {
        return withRetries("/coins/markets page " + page,
                () -> api.markets(settings.vsCurrency(), settings.perPage(), page));
    }

    /** One call of {@code /ping}, paced but not retried: a health check wants the present state. */
    CoinGeckoPing ping() {
        long start = System.nanoTime();
        CoinGeckoApi.PingBody body = call("/ping", api::ping);
        String message = body == null || body.geckoSays() == null ? "" : body.geckoSays();
        return new CoinGeckoPing(message, Duration.ofNanos(System.nanoTime() - start));
    }

    private <T> T withRetries(String what, Supplier<T> request) {
        Retry.AsyncContext<Object> attempts = retry.asyncContext();
        for (int attempt = 1; ; attempt++) {
            SourceException failure;
            try {
                T result = call(what, request);
                attempts.onComplete();
                return result;
            } catch (SourceException e) {
                failure = e;
            }
            Optional<Duration> retryAfter = failure instanceof CallFailure f ? f.retryAfter() : Optional.empty();
            if (retryAfter.isPresent() && retryAfter.get().compareTo(settings.maxWait()) > 0) {
                // honoured, and no run held open
                throw new RetriableSourceException("CoinGecko asks for no call to " + what + " before "
                        + retryAfter.get() + " (Retry-After), longer than max_wait " + settings.maxWait()
                        + ": not retried, the next run tries again; " + failure.getMessage(), failure,
                        holdBudget(retryAfter.get()));
            }
            long waitMillis = attempts.onError(failure);
            if (waitMillis < 0) {
                if (failure instanceof RetriableSourceException) {
                    String message = "CoinGecko " + what + " failed after " + attempt + " attempt"
                            + (attempt == 1 ? "" : "s") + ": " + failure.getMessage();
                    if (retryAfter.isPresent()) {
                        // no attempt is left to wait for it in: the time CoinGecko gave still holds for what follows
                        throw new RetriableSourceException(message + "; CoinGecko asks for no call before "
                                + retryAfter.get() + " (Retry-After)", failure, holdBudget(retryAfter.get()));
                    }
                    throw new RetriableSourceException(message, failure);
                }
                throw failure;
            }
            // CoinGecko counts the budget's sources as one: the others wait for it too, not each for its own 429
            retryAfter.ifPresent(paced::holdOthersFor);
            context.metrics().count("upstream_retries", Map.of("source", source), 1);
            LOG.warn("source {}: {} failed ({}); attempt {} of {} in {} ms", source, what, failure.getMessage(),
                    attempt + 1, settings.maxAttempts(), waitMillis);
            try {
                sleeper.sleep(Duration.ofMillis(waitMillis));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SourceException("interrupted while waiting to retry CoinGecko " + what, failure);
            }
        }
    }

    /**
     * Makes no call of the budget, from this run or a later one, before {@code retryAfter} has passed; returns that
     * time, to be kept with the failed run so that a run of another process does not call before it either.
     */
    private Instant holdBudget(Duration retryAfter) {
        spacing.holdUntil(System.nanoTime() + retryAfter.toNanos());
        return context.clock().instant().plus(retryAfter);
    }

    /** Runs one request, turning whatever Feign throws into this adapter's two kinds of failure. */
    private <T> T call(String what, Supplier<T> request) {
        try {
            return request.get();
        } catch (SourceException e) {
            throw e;
        } catch (RetryableException e) {
            if (Thread.currentThread().isInterrupted()) {
                // the run is being stopped (the transport cancelled the call): not retried, as when the wait
                // before a retry is interrupted
                Throwable cause = e.getCause() == null ? e : e.getCause();
                throw new SourceException("interrupted while waiting for CoinGecko's answer to " + what + " ("
                        + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage())
                        + ")", e);
            }
            throw transportFailure(e);
        } catch (RuntimeException e) {
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof SourceException known) {
                    throw known;
                }
            }
            throw new SourceException("CoinGecko call failed: " + e.getClass().getSimpleName(), e);
        }
    }

    private CallFailure transportFailure(RetryableException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        if (cause instanceof InterruptedIOException) {
            // a connect or read timeout (SocketTimeoutException), or the whole call's
            return new CallFailure("CoinGecko did not answer within " + settings.timeout(), e);
        }
        return new CallFailure("cannot reach CoinGecko at " + settings.baseUrl() + ": " + cause.getMessage(), e);
    }
}
