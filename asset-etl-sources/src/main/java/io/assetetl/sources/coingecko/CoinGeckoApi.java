package io.assetetl.sources.coingecko;

import com.fasterxml.jackson.annotation.JsonProperty;
import feign.Param;
import feign.RequestLine;
import java.util.List;

/** The two CoinGecko v3 endpoints this adapter calls; paths are relative to the configured base URL. */
interface CoinGeckoApi {

    @RequestLine("GET /coins/markets?vs_currency={vsCurrency}&order=market_cap_desc&per_page={perPage}&page={page}")
    MarketPage markets(@Param("vsCurrency") String vsCurrency, @Param("perPage") int perPage, @Param("page") int page);

    @RequestLine("GET /ping")
    PingBody ping();

    /**
     * One page of {@code /coins/markets}.
     *
     * @param items the JSON text of each item exactly as received, in page order; empty past the last page
     */
    record MarketPage(List<String> items) {
        public MarketPage {
            items = List.copyOf(items);
        }
    }

    /** The answer of {@code /ping}: {@code {"gecko_says":"(V3) To the Moon!"}}. */
    record PingBody(@JsonProperty("gecko_says") String geckoSays) {
    }
}
