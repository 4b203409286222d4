package io.assetetl.service.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.assetetl.query.Quote;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** {@code GET /assets/{symbol}/history}: quotes, newest first. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record HistoryResponse(String symbol, List<QuotePoint> data) {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record QuotePoint(String source, Instant observedAt, BigDecimal priceUsd,
            @Schema(nullable = true) BigDecimal marketCapUsd,
            @Schema(nullable = true) @JsonProperty("volume_24h_usd") BigDecimal volume24hUsd, UUID runId) {

        public static QuotePoint from(Quote q) {
            return new QuotePoint(q.source(), q.observedAt(), q.priceUsd(), q.marketCapUsd(), q.volume24hUsd(),
                    q.runId());
        }
    }

    public static HistoryResponse from(String symbol, List<Quote> quotes) {
        return new HistoryResponse(symbol, quotes.stream().map(QuotePoint::from).toList());
    }
}
