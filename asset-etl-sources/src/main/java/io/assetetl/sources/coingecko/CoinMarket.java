package io.assetetl.sources.coingecko;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;

/**
 * One item of {@code /coins/markets}, as CoinGecko documents it. Only {@code id}, {@code symbol}, {@code name},
 * {@code image} and {@code last_updated} are promised; every number may be null and arrives as an integer, a
 * decimal or an exponent, so all are exact {@link BigDecimal}s. Timestamps stay text until used.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record CoinMarket(
        String id,
        String symbol,
        String name,
        String image,
        @JsonProperty("current_price") BigDecimal currentPrice,
        @JsonProperty("market_cap") BigDecimal marketCap,
        @JsonProperty("market_cap_rank") BigDecimal marketCapRank,
        @JsonProperty("fully_diluted_valuation") BigDecimal fullyDilutedValuation,
        @JsonProperty("total_volume") BigDecimal totalVolume,
        @JsonProperty("high_24h") BigDecimal high24h,
        @JsonProperty("low_24h") BigDecimal low24h,
        @JsonProperty("price_change_24h") BigDecimal priceChange24h,
        @JsonProperty("price_change_percentage_24h") BigDecimal priceChangePercentage24h,
        @JsonProperty("market_cap_change_24h") BigDecimal marketCapChange24h,
        @JsonProperty("market_cap_change_percentage_24h") BigDecimal marketCapChangePercentage24h,
        @JsonProperty("circulating_supply") BigDecimal circulatingSupply,
        @JsonProperty("total_supply") BigDecimal totalSupply,
        @JsonProperty("max_supply") BigDecimal maxSupply,
        BigDecimal ath,
        @JsonProperty("ath_change_percentage") BigDecimal athChangePercentage,
        @JsonProperty("ath_date") String athDate,
        BigDecimal atl,
        @JsonProperty("atl_change_percentage") BigDecimal atlChangePercentage,
        @JsonProperty("atl_date") String atlDate,
        JsonNode roi,
        @JsonProperty("last_updated") String lastUpdated) {

    /**
     * The fields every item of {@code /coins/markets} has when no optional data ({@code sparkline},
     * {@code price_change_percentage}) is asked for: CoinGecko's OpenAPI schema and the recorded answers agree.
     */
    static final List<String> EXPECTED_FIELDS = List.of(
            "id", "symbol", "name", "image", "current_price", "market_cap", "market_cap_rank",
            "fully_diluted_valuation", "total_volume", "high_24h", "low_24h", "price_change_24h",
            "price_change_percentage_24h", "market_cap_change_24h", "market_cap_change_percentage_24h",
            "circulating_supply", "total_supply", "max_supply", "ath", "ath_change_percentage", "ath_date", "atl",
            "atl_change_percentage", "atl_date", "roi", "last_updated");

    /** The fields without which an item cannot become an observation. */
    static final List<String> REQUIRED_FIELDS = List.of("id", "symbol", "current_price");
}
