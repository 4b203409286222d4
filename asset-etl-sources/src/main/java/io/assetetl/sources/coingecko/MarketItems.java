package io.assetetl.sources.coingecko;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.assetetl.model.Interpretation;
import io.assetetl.model.Observation;
import io.assetetl.model.RawRecord;
import io.assetetl.model.RejectReason;
import io.assetetl.model.Rejection;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * What a {@code /coins/markets} item means, decided from its JSON text alone (plus the time its page was fetched,
 * which the raw row keeps): so reading and {@code reprocess} give the same answer.
 *
 * <p>The observation time is {@code last_updated}. CoinGecko promises it, but should it be null the item is taken
 * as observed when its page was fetched, and its raw key becomes {@code id@<fetched time>}: the fetch time is stored
 * with the raw row, so the result is still reproducible.
 */
final class MarketItems {

    /**
     * Digits a number may have before its point and after it in PostgreSQL's {@code numeric}, which stores the
     * numbers of a {@code jsonb} payload: a raw item with a number beyond either cannot be stored as it is.
     */
    static final int NUMERIC_INTEGER_DIGITS = 131_072;
    static final int NUMERIC_FRACTION_DIGITS = 16_383;

    /**
     * Decodes numbers exactly; used for pages, items and checkpoints alike. Numbers as long as PostgreSQL stores are
     * read (Jackson's default stops at 1,000 digits, which failed the whole page, run after run).
     */
    static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNumberLength(NUMERIC_INTEGER_DIGITS + NUMERIC_FRACTION_DIGITS + 2).build())
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** Reject reason of an item without an id, which could not be told apart from other coins. */
    static final String MISSING_ID = "missing_id";

    /** Hex digits of an item's SHA-256 in its raw key: 64 bits, no collision among one coin's items at one time. */
    private static final int ITEM_DIGEST_CHARS = 16;

    private MarketItems() {
    }

    /**
     * The field under which an item is kept, as text, when it holds a number PostgreSQL cannot store (such as
     * {@code 1E-17000} or {@code 1E+200000}): stored as it came, the item failed its chunk, run after run.
     */
    static final String UNSTORABLE_ITEM = "unstorable_item";

    /** The field under which a text that is not JSON is kept: the raw tables hold JSON ({@code jsonb}) alone. */
    static final String UNPARSEABLE_ITEM = "unparseable_item";

    /**
     * The raw record of an item, keyed by {@code id@last_updated} so that an unchanged coin is stored once. Its
     * payload is the item's text as received, or that text under {@value #UNSTORABLE_ITEM} when PostgreSQL could not
     * store one of its numbers.
     */
    static RawRecord.ApiItem raw(String json, int page, int index, Instant fetchedAt) {
        String key = recordKey(json, fetchedAt);
        String payload = storable(json) ? json : MAPPER.createObjectNode().put(UNSTORABLE_ITEM, json).toString();
        try {
            return new RawRecord.ApiItem(key, page, index, fetchedAt, payload);
        } catch (IllegalArgumentException notJson) {
            // its key is short (recordKey keeps it so): the payload is no JSON
            return new RawRecord.ApiItem(key, page, index, fetchedAt,
                    MAPPER.createObjectNode().put(UNPARSEABLE_ITEM, json).toString());
        }
    }

    /** Whether every number of {@code json} fits PostgreSQL's {@code numeric}; text that is not JSON passes. */
    static boolean storable(String json) {
        try (JsonParser parser = MAPPER.createParser(json)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.VALUE_NUMBER_INT && parser.getTextLength() > NUMERIC_INTEGER_DIGITS
                        && parser.getTextLength() - (parser.getText().startsWith("-") ? 1 : 0)
                                > NUMERIC_INTEGER_DIGITS) {
                    return false;
                }
                if (token == JsonToken.VALUE_NUMBER_FLOAT) {
                    BigDecimal value;
                    try {
                        value = parser.getDecimalValue();
                    } catch (NumberFormatException exponentBeyondAnInt) {
                        // such as 1E-9999999999: neither Java nor PostgreSQL holds it
                        return false;
                    }
                    if (value.scale() > NUMERIC_FRACTION_DIGITS
                            || (long) value.precision() - value.scale() > NUMERIC_INTEGER_DIGITS) {
                        return false;
                    }
                }
            }
        } catch (IOException notJson) {
            // interpret() turns it into a reject, and the engine refuses what it cannot store
        }
        return true;
    }

    /**
     * The field names of an item, in order; empty for text that is not a JSON object. Read as tokens, without
     * decoding any value: a number Java cannot decode (an exponent beyond an {@code int}) does not hide the names.
     */
    static Optional<List<String>> fieldNames(String json) {
        try (JsonParser parser = MAPPER.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            List<String> names = new java.util.ArrayList<>();
            for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                names.add(parser.currentName());
                parser.nextToken();
                parser.skipChildren();
            }
            return Optional.of(names);
        } catch (IOException notJson) {
            return Optional.empty();
        }
    }

    static Interpretation interpret(RawRecord.ApiItem raw) {
        CoinMarket coin;
        try {
            JsonNode tree = MAPPER.readTree(raw.payload());
            if (tree != null && tree.has(UNPARSEABLE_ITEM)) {
                return Rejection.of(RejectReason.UNPARSEABLE_ROW, "not a CoinGecko market item: no JSON it can read;"
                        + " kept as text under " + UNPARSEABLE_ITEM, raw);
            }
            if (tree != null && tree.has(UNSTORABLE_ITEM)) {
                return Rejection.of(RejectReason.INVALID_NUMBER, "item holds a number beyond what PostgreSQL stores ("
                        + NUMERIC_INTEGER_DIGITS + " digits before the point, " + NUMERIC_FRACTION_DIGITS
                        + " after it); kept as text under " + UNSTORABLE_ITEM, raw);
            }
            coin = MAPPER.readValue(raw.payload(), CoinMarket.class);
        } catch (InvalidFormatException e) {
            String field = e.getPath().isEmpty() ? "?" : e.getPath().get(e.getPath().size() - 1).getFieldName();
            String reason = "current_price".equals(field) ? RejectReason.INVALID_PRICE : RejectReason.INVALID_NUMBER;
            return Rejection.of(reason, field + " is not a number: " + e.getValue(), raw);
        } catch (JsonProcessingException e) {
            return Rejection.of(RejectReason.UNPARSEABLE_ROW, "not a CoinGecko market item: "
                    + e.getOriginalMessage(), raw);
        }
        if (coin == null) {
            return Rejection.of(RejectReason.UNPARSEABLE_ROW, "not a CoinGecko market item: null", raw);
        }
        if (isBlank(coin.id())) {
            return Rejection.of(MISSING_ID, "item has no id", raw);
        }
        if (isBlank(coin.symbol())) {
            return Rejection.of(RejectReason.MISSING_SYMBOL, "coin " + coin.id() + " has no symbol", raw);
        }
        BigDecimal price = coin.currentPrice();
        if (price == null || price.signum() <= 0) {
            return Rejection.of(RejectReason.INVALID_PRICE, "coin " + coin.id() + " has current_price "
                    + (price == null ? "null" : price.toPlainString()), raw);
        }
        Instant observedAt;
        try {
            observedAt = coin.lastUpdated() == null ? raw.fetchedAt() : parseInstant(coin.lastUpdated());
        } catch (DateTimeParseException e) {
            return Rejection.of(RejectReason.INVALID_TIMESTAMP, "coin " + coin.id() + " has last_updated "
                    + coin.lastUpdated(), raw);
        }
        return new Observation(coin.symbol(), coin.id(), coin.name(), price, coin.marketCap(), coin.totalVolume(),
                observedAt, raw);
    }

    /**
     * The raw item's key: the coin, its {@code last_updated} and a digest of the item as received. The same item
     * fetched again is the same row; an item that gives the same coin and time other values (a corrected page, a
     * coin listed twice) is a row of its own, so that reprocess replays every value the canonical tables took.
     */
    private static String recordKey(String json, Instant fetchedAt) {
        try {
            JsonNode node = MAPPER.readTree(json);
            String id = node == null ? null : node.path("id").textValue();
            if (!isBlank(id)) {
                String updated = node.path("last_updated").textValue();
                String key = id + "@" + (isBlank(updated) ? fetchedAt.toString() : updated) + "#"
                        + sha256(json).substring(0, ITEM_DIGEST_CHARS);
                // an id or a time longer than any (the id rejected as invalid_id) is keyed by content below
                if (key.length() <= RawRecord.MAX_KEY_LENGTH) {
                    return key;
                }
            }
        } catch (JsonProcessingException | NumberFormatException unreadable) {
            // keyed by content below (a number Java cannot decode is kept as an unstorable item, see storable);
            // interpret() turns it into a reject
        }
        return "sha256:" + sha256(json);
    }

    private static Instant parseInstant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return OffsetDateTime.parse(text).toInstant();
        }
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
