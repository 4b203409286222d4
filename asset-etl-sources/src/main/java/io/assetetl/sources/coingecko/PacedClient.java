package io.assetetl.sources.coingecko;

import feign.Client;
import feign.Request;
import feign.Response;
import io.assetetl.run.EtlMetrics;
import io.assetetl.spi.SourceException;
import io.github.resilience4j.ratelimiter.RateLimiter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Feign's HTTP client behind the shared rate limiter: every request, retries and pings included, takes a permit
 * first and keeps a slot after the budget's previous call ({@link Spacing}), and every answer is counted by status
 * in {@code upstream_http_requests} (a call cancelled by an interruption has no answer, and is not counted). A
 * request that would have to wait longer than {@code max_wait} for the time CoinGecko asked for no call before (a
 * {@code Retry-After} an earlier run was given) is not made.
 */
final class PacedClient implements Client {

    private final Client delegate;
    private final RateLimiter limiter;
    private final Spacing spacing;
    private final Sleeper sleeper;
    private final EtlMetrics metrics;
    private final Map<String, String> sourceLabel;
    private final Duration maxWait;

    PacedClient(Client delegate, RateLimiter limiter, Spacing spacing, Sleeper sleeper, EtlMetrics metrics,
            String source, Duration maxWait) {
        this.delegate = delegate;
        this.maxWait = maxWait;
        this.limiter = limiter;
        this.spacing = spacing;
        this.sleeper = sleeper;
        this.metrics = metrics;
        this.sourceLabel = Map.of("source", source);
    }

    @Override
    public Response execute(Request request, Request.Options options) throws IOException {
        awaitPermit();
        try {
            Response response = delegate.execute(request, options);
            countRequest(Integer.toString(response.status()));
            return response;
        } catch (InterruptedIOException e) {
            if (!Thread.currentThread().isInterrupted()) {
                // a connect or read timeout (SocketTimeoutException), or the whole call's; not a call cancelled
                // because the run is being stopped, which has no answer to count
                countRequest("timeout");
            }
            throw e;
        } catch (IOException e) {
            countRequest("io_error");
            throw e;
        }
    }

    private void awaitPermit() {
        long heldNanos = spacing.heldFor(System.nanoTime(), this);
        if (heldNanos > maxWait.toNanos()) {
            throw heldTooLong(heldNanos);
        }
        long waitNanos = limiter.reservePermission();
        if (waitNanos < 0) {
            throw new SourceException("CoinGecko rate limiter: no request slot free within "
                    + limiter.getRateLimiterConfig().getTimeoutDuration()
                    + " (too many CoinGecko sources share rate_limit_per_minute)");
        }
        sleep(waitNanos);
        // the permit's cycle may have started less than a slot after the last call: wait for a slot to pass
        long spacingNanos = 0;
        while (true) {
            long heldUntil = spacing.heldUntil(this);
            long now = System.nanoTime();
            long slotWait = spacing.reserve(now, maxWait.toNanos(), this);
            if (slotWait < 0) {
                // another source of the budget was given a Retry-After beyond max_wait while this one waited
                throw heldTooLong(spacing.heldFor(now, this));
            }
            sleep(slotWait);
            spacingNanos += slotWait;
            long heldNow = spacing.heldUntil(this);
            if (heldNow - heldUntil <= 0 || heldNow - System.nanoTime() <= 0) {
                break;
            }
            // a Retry-After came while this call waited for its slot, and holds still: a slot after its time
        }
        if (waitNanos > 0 || spacingNanos > 0) {
            Duration wait = Duration.ofNanos(waitNanos + spacingNanos);
            metrics.count("rate_limiter_waits", sourceLabel, 1);
            metrics.time("rate_limiter_wait", sourceLabel, wait);
        }
    }

    /**
     * Holds back the budget's other callers for {@code retryAfter}, which CoinGecko gave this one: it waits that
     * long before its retry, and is not held back by it again when it calls.
     */
    void holdOthersFor(Duration retryAfter) {
        long now = System.nanoTime();
        spacing.holdOthersUntil(this, now + retryAfter.toNanos(), now);
    }

    private SourceException heldTooLong(long heldNanos) {
        return new SourceException("CoinGecko asked for no call for another "
                + Duration.ofSeconds(TimeUnit.NANOSECONDS.toSeconds(heldNanos) + 1) + " (Retry-After),"
                + " longer than max_wait " + maxWait + ": not called, the next run tries again");
    }

    private void sleep(long nanos) {
        if (nanos == 0) {
            return;
        }
        try {
            sleeper.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("interrupted while waiting for the CoinGecko rate limiter");
        }
    }

    private void countRequest(String status) {
        metrics.count("upstream_http_requests", Map.of("source", sourceLabel.get("source"), "status", status), 1);
    }
}
