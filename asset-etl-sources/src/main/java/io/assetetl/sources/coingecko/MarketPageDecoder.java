package io.assetetl.sources.coingecko;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import feign.Response;
import feign.codec.Decoder;
import io.assetetl.spi.SourceException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes successful answers. A market page is split into the JSON text of each item as received (what the raw
 * table keeps), the API key masked should an item echo it; anything else is bound with Jackson. A body that is not
 * the JSON expected (an HTML page with a 200, a truncated array) is a {@link CallFailure}, so that it is retried
 * like a 5xx. The parser's message quotes the body, which may echo the API key: the key is masked in it, and a
 * parser exception that quotes it is not kept as the cause (its message would print with the trace).
 */
final class MarketPageDecoder implements Decoder {

    private final ObjectMapper mapper;
    private final String apiKey;
    /**
     * The largest body read, in bytes: 64 times a page of 250 coins with every optional field (about 0.5 MiB). A
     * server that is not CoinGecko's API (a misconfigured {@code base_url} serving a file, say) could otherwise
     * send a body larger than the heap, which was read whole.
     */
    static final int MAX_BODY_BYTES = 32 * 1024 * 1024;

    private final Duration timeout;
    private final int maxBodyBytes;

    /**
     * @param apiKey       the key to mask in messages, or {@code null}
     * @param timeout      the call's timeout, named when a body does not arrive within it
     * @param maxBodyBytes the largest body read ({@link #MAX_BODY_BYTES}); a larger one fails the run at once
     */
    MarketPageDecoder(ObjectMapper mapper, String apiKey, Duration timeout, int maxBodyBytes) {
        this.mapper = mapper;
        this.apiKey = apiKey == null || apiKey.isEmpty() ? null : apiKey;
        this.timeout = timeout;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public Object decode(Response response, Type type) {
        String body = read(response);
        try {
            if (type == CoinGeckoApi.MarketPage.class) {
                return new CoinGeckoApi.MarketPage(splitArray(body));
            }
            return mapper.readValue(body, mapper.constructType(type));
        } catch (IOException e) {
            String reason = firstLine(message(e));
            boolean quotesKey = apiKey != null && String.valueOf(e.getMessage()).contains(apiKey);
            throw new CallFailure("CoinGecko answered " + response.status() + " with an unreadable body ("
                    + describe(body) + "): " + (apiKey == null ? reason : reason.replace(apiKey, "***")),
                    quotesKey ? null : e);
        }
    }

    private List<String> splitArray(String body) throws IOException {
        List<String> items = new ArrayList<>();
        try (JsonParser parser = mapper.getFactory().createParser(body)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new JsonParseException(parser, "expected a JSON array of coins");
            }
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                if (token == null) {
                    throw new JsonParseException(parser, "the array is not closed");
                }
                if (token != JsonToken.START_OBJECT && token != JsonToken.START_ARRAY) {
                    // an element that is no coin (null, a text, a number) is the page's own, kept to be rejected
                    // as an unreadable item: read as a broken body, it failed the page, run after run
                    items.add(maskKey(mapper.writeValueAsString(parser.readValueAsTree())));
                    continue;
                }
                int start = (int) parser.currentTokenLocation().getCharOffset();
                parser.skipChildren();
                int end = (int) parser.currentLocation().getCharOffset();
                items.add(maskKey(body.substring(start, end)));
            }
            if (parser.nextToken() != null) {
                throw new JsonParseException(parser, "content after the array");
            }
        }
        return items;
    }

    /**
     * The item with each occurrence of the API key written {@code ***}, so that an upstream echoing it does not put it
     * in a raw row. A CoinGecko key ({@code CG-} and letters and digits) can only occur inside the item's strings:
     * outside them a run of letters, digits and dashes is a number (which has no letter but {@code e}) or
     * {@code true}, {@code false}, {@code null}. An occurrence right after a backslash is the end of an escape
     * sequence and is left. So the item stays the same JSON. A key that is not of that kind (fewer than 8
     * characters, other characters, or no letter but {@code e}) is left alone rather than risk rewriting the item's
     * own values or syntax.
     */
    private String maskKey(String item) {
        if (!maskable(apiKey) || !item.contains(apiKey)) {
            return item;
        }
        StringBuilder masked = new StringBuilder(item.length());
        int from = 0;
        for (int at = item.indexOf(apiKey); at >= 0; at = item.indexOf(apiKey, from)) {
            boolean inEscape = at > 0 && item.charAt(at - 1) == '\\';
            masked.append(item, from, at).append(inEscape ? apiKey : "***");
            from = at + apiKey.length();
        }
        return masked.append(item, from, item.length()).toString();
    }

    private static boolean maskable(String key) {
        return key != null && key.length() >= 8
                && key.chars().allMatch(c -> c == '-' || c < 128 && Character.isLetterOrDigit(c))
                && key.chars().anyMatch(c -> Character.isLetter(c) && c != 'e' && c != 'E');
    }

    private String read(Response response) {
        if (response.body() == null) {
            return "";
        }
        Integer declared = response.body().length();
        if (declared != null && declared > maxBodyBytes) {
            throw tooLarge(response);
        }
        byte[] bytes;
        try (InputStream in = response.body().asInputStream()) {
            bytes = in.readNBytes(maxBodyBytes + 1);
        } catch (InterruptedIOException e) {
            // a read timeout (SocketTimeoutException), or the whole call's: the body came too slowly
            throw new CallFailure("CoinGecko answered " + response.status() + " but its body did not arrive within "
                    + timeout, e);
        } catch (IOException e) {
            throw new CallFailure("CoinGecko answered " + response.status() + " but the body could not be read: "
                    + e.getMessage(), e);
        }
        if (bytes.length > maxBodyBytes) {
            throw tooLarge(response);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Not worth another attempt: the same address would answer the same. */
    private SourceException tooLarge(Response response) {
        return new SourceException("CoinGecko answered " + response.status() + " with a body larger than "
                + maxBodyBytes + " bytes, which no page of coins comes near: not read (is base_url CoinGecko's API?)");
    }

    private static String describe(String body) {
        String trimmed = body.stripLeading();
        if (trimmed.isEmpty()) {
            return "empty";
        }
        if (trimmed.startsWith("<")) {
            return "HTML, " + body.length() + " chars";
        }
        return body.length() + " chars";
    }

    private static String message(IOException e) {
        String message = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
