package io.assetetl.sources.csv;

import java.util.List;

/** The canonical fields a CSV row can carry, with the header names of the clean {@code csv} format. */
enum Field {
    SYMBOL("symbol"),
    NAME("name"),
    PRICE("price_usd", "price"),
    MARKET_CAP("market_cap_usd"),
    VOLUME_24H("volume_24h_usd"),
    TIMESTAMP("timestamp");

    private final List<String> exactNames;

    Field(String... exactNames) {
        this.exactNames = List.of(exactNames);
    }

    /** The header that names this field in the clean format, such as {@code price_usd}. */
    String canonicalName() {
        return exactNames.get(0);
    }

    /** The headers that name this field exactly, most preferred first. */
    List<String> exactNames() {
        return exactNames;
    }
}
