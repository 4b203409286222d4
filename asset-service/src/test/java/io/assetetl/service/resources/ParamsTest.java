package io.assetetl.service.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assetetl.service.http.ApiException;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ParamsTest {

    @Test
    void cursorRoundTripsAnySymbolAndIsOpaque() {
        for (String symbol : new String[] {"BTC", "A", "ÆTHER", "X/Y Z", "'; DROP TABLE assets; --"}) {
            String cursor = Params.cursor(symbol);
            assertThat(cursor).doesNotContain(symbol).matches("[A-Za-z0-9_-]+");
            assertThat(Params.afterCursor(cursor)).contains(symbol);
        }
        assertThat(Params.afterCursor(null)).isEmpty();
    }

    @Test
    void foreignCursorsAre400() {
        assertThatThrownBy(() -> Params.afterCursor("%%%")).isInstanceOf(ApiException.class)
                .hasMessageStartingWith("cursor");
        assertThatThrownBy(() -> Params.afterCursor("QlRD")).hasMessageStartingWith("cursor");
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
}
