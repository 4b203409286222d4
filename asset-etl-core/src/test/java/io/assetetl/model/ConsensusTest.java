package io.assetetl.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsensusTest {

    private static final BigDecimal FIVE_PERCENT = new BigDecimal("0.05");

    @Test
    void theMedianOfAnOddNumberOfSourcesIsTheMiddlePrice() {
        Consensus c = Consensus.of(Map.of("csv", bd("100"), "csv_weird", bd("101"), "coingecko", bd("99")),
                FIVE_PERCENT);
        assertThat(c.medianPriceUsd()).isEqualByComparingTo("100");
        assertThat(c.divergent()).isEmpty();
    }

    @Test
    void theMedianOfAnEvenNumberOfSourcesIsTheMeanOfTheMiddleTwo() {
        Consensus c = Consensus.of(Map.of("a", bd("100"), "b", bd("102")), FIVE_PERCENT);
        assertThat(c.medianPriceUsd()).isEqualByComparingTo("101");
    }

    @Test
    void aSourceMoreThanTheThresholdAwayFromTheMedianIsDivergent() {
        Map<String, BigDecimal> prices = new LinkedHashMap<>();
        prices.put("csv", bd("43000"));
        prices.put("coingecko", bd("43100"));
        prices.put("csv_weird", bd("46000"));
        Consensus c = Consensus.of(prices, FIVE_PERCENT);
        assertThat(c.medianPriceUsd()).isEqualByComparingTo("43100");
        assertThat(c.divergent()).containsExactly("csv_weird");
    }

    @Test
    void exactlyAtTheThresholdIsNotDivergent() {
        Consensus c = Consensus.of(Map.of("a", bd("100"), "b", bd("105"), "c", bd("95")), FIVE_PERCENT);
        assertThat(c.divergent()).isEmpty();
    }

    @Test
    void noPricesGiveNoMedian() {
        Consensus c = Consensus.of(Map.of(), FIVE_PERCENT);
        assertThat(c.median()).isEmpty();
        assertThat(c.divergent()).isEmpty();
    }

    @Test
    void aWholeNumberMedianIsWrittenWithoutAnExponent() {
        Consensus c = Consensus.of(Map.of("a", bd("42800.00")), FIVE_PERCENT);
        assertThat(c.medianPriceUsd().toString()).isEqualTo("42800");
    }

    private static BigDecimal bd(String v) {
        return new BigDecimal(v);
    }
}
