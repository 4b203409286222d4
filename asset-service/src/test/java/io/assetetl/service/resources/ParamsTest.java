package io.assetetl.service.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assetetl.query.AssetFilter;
import io.assetetl.service.http.ApiException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ParamsTest {

    @Test
    void cursorRoundTripsAnyCanonicalSymbolAndIsOpaque() {
        // the longest symbols the engine stores (64 characters, of 4 bytes each at most), and some of those it stored
        // before it rejected control characters
        AssetFilter filter = new AssetFilter(Optional.of("币".repeat(64)), Optional.of("s".repeat(200)),
                Optional.of(new BigDecimal("0." + "1".repeat(100))), Optional.of(new BigDecimal("9".repeat(100))));
        for (String symbol : new String[] {"BTC", "A", "ÆTHER", "X/Y Z", "'; DROP TABLE ASSETS; --", "币".repeat(64),
                "🚀".repeat(64), "DEL\u007fX", "LINE\nBREAK"}) {
            for (AssetFilter listing : List.of(AssetFilter.ALL, filter)) {
                String cursor = Params.cursor(symbol, listing);
                assertThat(cursor).matches("[A-Za-z0-9_-]+");
                if (symbol.length() > 2) {
                    assertThat(cursor).doesNotContain(symbol);
                }
                assertThat(afterCursor(cursor)).contains(symbol);
            }
            // as an earlier version wrote it, without its listing's filters
            assertThat(Params.readCursor(earlierCursor(symbol))).contains(new Params.Cursor(symbol, Optional.empty()));
        }
        assertThat(afterCursor(null)).isEmpty();
    }

    @Test
    void aCursorCarriesItsListingsFiltersAsTheirParametersText() {
        AssetFilter filter = new AssetFilter(Optional.of("BTC"), Optional.empty(), Optional.of(new BigDecimal("1.50")),
                Optional.empty());

        assertThat(Params.readCursor(Params.cursor("ADA", filter)))
                .contains(new Params.Cursor("ADA", Optional.of(new Params.Listing("BTC", null, "1.50", null))));
        assertThat(Params.readCursor(Params.cursor("ADA", AssetFilter.ALL)))
                .contains(new Params.Cursor("ADA", Optional.of(new Params.Listing(null, null, null, null))));
    }

    @Test
    void foreignCursorsAre400() {
        assertThatThrownBy(() -> afterCursor("%%%")).isInstanceOf(ApiException.class)
                .hasMessageStartingWith("cursor");
        assertThatThrownBy(() -> afterCursor("QlRD")).hasMessageStartingWith("cursor");
        // edited to a symbol no page ends with: lower case, or with surrounding spaces
        assertThatThrownBy(() -> afterCursor(earlierCursor("ada"))).hasMessageStartingWith("cursor");
        assertThatThrownBy(() -> afterCursor(earlierCursor(" ADA"))).hasMessageStartingWith("cursor");
        assertThatThrownBy(() -> afterCursor(earlierCursor("A\0B"))).hasMessageStartingWith("cursor");
        assertThatThrownBy(() -> afterCursor("A".repeat(4097))).hasMessageStartingWith("cursor");
        // a cursor of this version cut short: fewer parts than it has
        String cut = Base64.getUrlEncoder().encodeToString("a2:BTC\n\nADA".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> afterCursor(cut)).hasMessageStartingWith("cursor");
    }

    @Test
    void limitsDefaultAndStayInRange() {
        assertThat(Params.limit(null, 50, 500)).isEqualTo(50);
        assertThat(Params.limit("500", 50, 500)).isEqualTo(500);
        assertThatThrownBy(() -> Params.limit("501", 50, 500)).hasMessage("limit must be an integer from 1 to 500");
        assertThatThrownBy(() -> Params.limit("1e3", 50, 500)).isInstanceOf(ApiException.class);
    }

    @Test
    void symbolsBecomeCanonical() {
        assertThat(Params.symbol("symbol", " xbt ")).contains("BTC");
        assertThat(Params.symbol("symbol", "eth")).contains("ETH");
        assertThat(Params.symbol("symbol", "  ")).isEmpty();
    }

    @Test
    void pricesAndTimesAreValidated() {
        assertThat(Params.price("min_price", "0.5")).contains(new BigDecimal("0.5"));
        assertThatThrownBy(() -> Params.price("min_price", "-1")).hasMessageStartingWith("min_price");
        assertThat(Params.instant("from", "2025-01-15T12:00:00+02:00")).contains(Instant.parse("2025-01-15T10:00:00Z"));
        assertThatThrownBy(() -> Params.instant("to", "2025-01-15")).hasMessageStartingWith("to");
        assertThatThrownBy(() -> Params.uuid("run_id", "x")).hasMessageStartingWith("run_id");
    }

    @Test
    void pricesBeyondWhatTheDatabaseHoldsAre400() {
        assertThat(Params.price("min_price", "1e99")).contains(new BigDecimal("1e99"));
        assertThat(Params.price("max_price", "0." + "0".repeat(99) + "1")).isPresent();
        for (String huge : new String[] {"1e100", "1e131072", "1e2147483647"}) {
            assertThatThrownBy(() -> Params.price("min_price", huge)).as(huge)
                    .hasMessage("min_price must be a non-negative decimal number under 1e100 with at most 100 decimal"
                            + " places");
        }
        assertThatThrownBy(() -> Params.price("max_price", "1e-999999")).hasMessageStartingWith("max_price");
    }

    @Test
    void timesOutsideTheYears1To9999Are400() {
        assertThat(Params.instant("from", "0001-01-01T00:00:00Z")).contains(Instant.parse("0001-01-01T00:00:00Z"));
        assertThat(Params.instant("to", "9999-12-31T23:59:59.999999Z")).isPresent();
        for (String time : new String[] {"-4714-11-23T00:00:00Z", "+294277-01-01T00:00:00Z",
                "-999999999-01-01T00:00:00Z", "+10000-01-01T00:00:00Z"}) {
            assertThatThrownBy(() -> Params.instant("from", time)).as(time).isInstanceOf(ApiException.class)
                    .hasMessageStartingWith("from must be an ISO-8601 timestamp with offset from the years 1 to 9999");
        }
    }

    @Test
    void aRunIdIsAUuidInItsCanonicalFormOnly() {
        UUID id = UUID.fromString("3f2b1c4d-0000-4000-8000-00000000abcd");
        assertThat(Params.uuid("run_id", "3F2B1C4D-0000-4000-8000-00000000ABCD")).isEqualTo(id);
        for (String loose : new String[] {"1-1-1-1-1", "3f2b1c4d-0-4000-8000-00000000abcd",
                "3f2b1c4d00004000800000000000abcd"}) {
            assertThatThrownBy(() -> Params.uuid("run_id", loose)).as(loose).hasMessage("run_id must be a UUID");
        }
    }

    @Test
    void controlCharactersInTextAndCursorsAre400() {
        assertThatThrownBy(() -> Params.text("source", "csv\u0000")).hasMessage(
                "source must not contain control characters");
        assertThatThrownBy(() -> Params.symbol("symbol", "\u0000")).hasMessageStartingWith("symbol");
        assertThatThrownBy(() -> afterCursor(earlierCursor("A\u0000"))).hasMessageStartingWith("cursor");
    }

    private static Optional<String> afterCursor(String raw) {
        return Params.readCursor(raw).map(Params.Cursor::afterSymbol);
    }

    /** A cursor as an earlier version wrote it: the last symbol of its page alone. */
    private static String earlierCursor(String lastSymbol) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("a1:" + lastSymbol)
                .getBytes(StandardCharsets.UTF_8));
    }
}
