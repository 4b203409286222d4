package io.assetetl.sources.coingecko;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * A successful answer of CoinGecko's {@code /ping}, for health checks.
 *
 * @param message what CoinGecko said ({@code (V3) To the Moon!}), or an empty string
 * @param latency how long the call took
 */
public record CoinGeckoPing(String message, Duration latency) {

    public CoinGeckoPing {
        requireNonNull(message, "message is null");
        requireNonNull(latency, "latency is null");
    }
}
