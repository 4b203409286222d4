package io.assetetl.service.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assetetl.service.http.ApiException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KnownSourcesTest {

    /** The database's names, counting how often they are asked for. */
    private final AtomicInteger queries = new AtomicInteger();
    private final KnownSources sources = new KnownSources(List.of("csv", "csv_weird", "coingecko"), () -> {
        queries.incrementAndGet();
        return List.of("coingecko", "csv", "retired", "Legacy", "LEGACY");
    });

    @Test
    void anAbsentOrConfiguredSourceCostsNoQuery() {
        assertThat(sources.parameter(null)).isEmpty();
        assertThat(sources.parameter(" ")).isEmpty();
        assertThat(sources.parameter("csv_weird")).contains("csv_weird");
        assertThat(sources.parameter(" csv ")).contains("csv");

        assertThat(queries).hasValue(0);
    }

    @Test
    void aSourceThatIsNoLongerConfiguredIsKnownByItsHistory() {
        assertThat(sources.parameter("retired")).contains("retired");
        assertThat(queries).hasValue(1);
    }

    @Test
    void aNameMatchingOneKnownSourceButForCaseIsThatSource() {
        assertThat(sources.parameter("CSV")).contains("csv");
        assertThat(sources.parameter("CoinGecko")).contains("coingecko");
        assertThat(sources.parameter("RETIRED")).contains("retired");
    }

    @Test
    void anExactNameWinsOverOthersDifferingOnlyInCase() {
        assertThat(sources.parameter("Legacy")).contains("Legacy");
        assertThat(sources.parameter("LEGACY")).contains("LEGACY");
    }

    @Test
    void aNameMatchingSeveralSourcesButForCaseIs400NamingThem() {
        assertThatThrownBy(() -> sources.parameter("legacy")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).startsWith("source ").contains("LEGACY", "Legacy").doesNotContain("csv");
        });
    }

    @Test
    void anUnknownNameIs400ListingEveryKnownSourceOnce() {
        assertThatThrownBy(() -> sources.parameter("coingeko")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).isEqualTo("source must be one of the known sources: LEGACY, Legacy, "
                    + "coingecko, csv, csv_weird, retired");
        });
    }

    @Test
    void withNoKnownSourceAnyNameIs400() {
        KnownSources none = new KnownSources(List.of(), List::of);

        assertThatThrownBy(() -> none.parameter("csv")).isInstanceOf(ApiException.class)
                .hasMessageStartingWith("source ");
        assertThat(none.parameter("")).isEqualTo(Optional.empty());
    }
}
