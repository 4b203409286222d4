package io.assetetl.sources.coingecko;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import feign.Request;
import feign.Response;
import io.assetetl.spi.SourceException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MarketPageDecoderTest {

    private static final int LIMIT = 1000;

    /** A page whose body is {@code body}, of the length its headers give ({@code declaredLength}, else its own). */
    private static Response page(String body, Integer declaredLength) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return Response.builder()
                .status(200)
                .request(Request.create(Request.HttpMethod.GET, "http://127.0.0.1/api/v3/coins/markets", Map.of(),
                        null, StandardCharsets.UTF_8, null))
                .headers(Map.of())
                .body(new ByteArrayInputStream(bytes), declaredLength == null ? bytes.length : declaredLength)
                .build();
    }

    private static List<String> items(String apiKey, String page) {
        return ((CoinGeckoApi.MarketPage) new MarketPageDecoder(MarketItems.MAPPER, apiKey, Duration.ofSeconds(1),
                LIMIT).decode(page(page, null), CoinGeckoApi.MarketPage.class)).items();
    }

    @Test
    void aBodyLargerThanTheLimitIsNotReadAndFailsTheRunAtOnce() {
        String atTheLimit = "[" + " ".repeat(LIMIT - 2) + "]";
        String over = "[" + " ".repeat(LIMIT - 1) + "]";
        MarketPageDecoder decoder = new MarketPageDecoder(MarketItems.MAPPER, null, Duration.ofSeconds(1), LIMIT);

        assertThat(items(null, atTheLimit)).isEmpty();
        for (Response tooLarge : List.of(page(over, null), page("[]", LIMIT + 1))) {
            assertThatThrownBy(() -> decoder.decode(tooLarge, CoinGeckoApi.MarketPage.class))
                    .isExactlyInstanceOf(SourceException.class)
                    .hasMessage("CoinGecko answered 200 with a body larger than 1000 bytes, which no page of coins"
                            + " comes near: not read (is base_url CoinGecko's API?)");
        }
    }

    @Test
    void elementsThatAreNoCoinStayItemsOfTheirPageToBeRejectedOneByOne() {
        List<String> items = items(null, "[{\"id\":\"a\"}, null, \"oops\", 42, [1], {\"id\":\"b\"}]");

        assertThat(items).containsExactly("{\"id\":\"a\"}", "null", "\"oops\"", "42", "[1]", "{\"id\":\"b\"}");
        assertThat(items.stream().map(item -> MarketItems.interpret(MarketItems.raw(item, 1, 0,
                java.time.Instant.EPOCH)).getClass().getSimpleName()).toList())
                .containsExactly("Rejection", "Rejection", "Rejection", "Rejection", "Rejection", "Rejection");
    }

    @Test
    void masksTheKeyWhereverAnItemsStringsEchoIt() {
        String key = "CG-Ab12Cd34Ef56Gh78Ij90Kl12";

        assertThat(items(key, "[{\"id\":\"x\",\"note\":\"" + key + " and " + key + "\",\"" + key + "\":1}]"))
                .containsExactly("{\"id\":\"x\",\"note\":\"*** and ***\",\"***\":1}");
    }

    @Test
    void leavesAKeyThatCouldBeANumberOrTheEndOfAnEscapeAlone() {
        // digits only: it could be (part of) a number, which masking would break
        assertThat(items("12345678", "[{\"price\":123456789,\"note\":\"12345678\"}]"))
                .containsExactly("{\"price\":123456789,\"note\":\"12345678\"}");
        // letters but e only: 1e100000 is a number too
        assertThat(items("1e100000", "[{\"price\":1e100000}]")).containsExactly("{\"price\":1e100000}");
        // right after a backslash the key is the end of an escape sequence: \\u0041bcdefgh is "Abcdefgh"
        assertThat(items("u0041bcdefgh", "[{\"name\":\"\\u0041bcdefgh\",\"note\":\"u0041bcdefgh\"}]"))
                .containsExactly("{\"name\":\"\\u0041bcdefgh\",\"note\":\"***\"}");
        // too short to be a CoinGecko key: it would rewrite the item's own words
        assertThat(items("usd", "[{\"currency\":\"usd\"}]")).containsExactly("{\"currency\":\"usd\"}");
    }
}
