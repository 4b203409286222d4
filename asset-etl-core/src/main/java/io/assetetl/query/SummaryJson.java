package io.assetetl.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Reads the {@code latest} column of {@code asset_summaries}: one object per source, sorted by source. */
final class SummaryJson {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private SummaryJson() {
    }

    static List<SourcePrice> sources(String latest) {
        JsonNode array;
        try {
            array = JSON.readTree(latest);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("asset_summaries.latest is not JSON", e);
        }
        List<SourcePrice> sources = new ArrayList<>(array.size());
        for (JsonNode s : array) {
            sources.add(new SourcePrice(s.get("source").asText(), text(s, "source_key"), text(s, "source_symbol"),
                    text(s, "name"), decimal(s, "price_usd"), decimal(s, "market_cap_usd"),
                    decimal(s, "volume_24h_usd"), instant(s, "observed_at"), UUID.fromString(s.get("run_id").asText()),
                    instant(s, "updated_at")));
        }
        return sources;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static BigDecimal decimal(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.decimalValue();
    }

    private static Instant instant(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : Instant.parse(value.asText());
    }
}
