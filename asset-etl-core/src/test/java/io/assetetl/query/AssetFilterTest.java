package io.assetetl.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AssetFilterTest {

    @Test
    void aPartGivenAsNullRatherThanEmptyIsRefusedWhereTheFilterIsMadeNamingIt() {
        assertThatThrownBy(() -> new AssetFilter(Optional.empty(), null, Optional.empty(), Optional.empty()))
                .isInstanceOf(NullPointerException.class).hasMessageStartingWith("source is null");
        assertThatThrownBy(() -> new AssetFilter(Optional.empty(), Optional.empty(), Optional.empty(), null))
                .isInstanceOf(NullPointerException.class).hasMessageStartingWith("maxPrice is null");
    }

    @Test
    void eachWithSetsItsPartAndKeepsTheOthers() {
        AssetFilter filter = AssetFilter.ALL.withSymbol("BTC").withSource("csv").withMinPrice(BigDecimal.ONE)
                .withMaxPrice(BigDecimal.TEN);

        assertThat(filter).isEqualTo(new AssetFilter(Optional.of("BTC"), Optional.of("csv"),
                Optional.of(BigDecimal.ONE), Optional.of(BigDecimal.TEN)));
    }
}
