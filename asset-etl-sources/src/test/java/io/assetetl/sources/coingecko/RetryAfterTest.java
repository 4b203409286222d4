package io.assetetl.sources.coingecko;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2026-04-30T02:30:00Z");

    private static Duration retryAfter(String name, String value) {
        return UpstreamErrorDecoder.retryAfter(Map.of(name, List.of(value)), NOW);
    }

    @Test
    void readsDeltaSeconds() {
        assertThat(retryAfter("Retry-After", "120")).isEqualTo(Duration.ofSeconds(120));
        assertThat(retryAfter("retry-after", " 0 ")).isEqualTo(Duration.ZERO);
    }

    @Test
    void readsAnHttpDateAsTheTimeLeftUntilIt() {
        assertThat(retryAfter("Retry-After", "Thu, 30 Apr 2026 02:30:45 GMT")).isEqualTo(Duration.ofSeconds(45));
        assertThat(retryAfter("Retry-After", "Thu, 30 Apr 2026 02:29:00 GMT")).isEqualTo(Duration.ZERO);
    }

    @Test
    void readsTheObsoleteDateFormatsEveryRecipientMustAccept() {
        assertThat(retryAfter("Retry-After", "Thursday, 30-Apr-26 02:31:00 GMT")).as("RFC 850")
                .isEqualTo(Duration.ofSeconds(60));
        assertThat(retryAfter("Retry-After", "Thu Apr 30 02:30:30 2026")).as("asctime")
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(retryAfter("Retry-After", "Fri May  1 02:30:00 2026")).as("asctime, a one-digit day")
                .isEqualTo(Duration.ofDays(1));
        assertThat(retryAfter("Retry-After", "Wednesday, 29-Apr-26 02:30:00 GMT")).as("past").isEqualTo(Duration.ZERO);
        assertThat(retryAfter("Retry-After", "Saturday, 30-Apr-77 02:30:00 GMT")).as("a two-digit year more than"
                + " 50 years on is the past one: 1977").isEqualTo(Duration.ZERO);
        assertThat(retryAfter("Retry-After", "Thursday, 30-Apr-76 02:30:00 GMT")).as("2076, 50 years on")
                .isEqualTo(Duration.ofDays(1));
    }

    @Test
    void takesAnyWaitLongerThanADayForADay() {
        assertThat(retryAfter("Retry-After", "86400")).isEqualTo(Duration.ofDays(1));
        assertThat(retryAfter("Retry-After", "00000005")).isEqualTo(Duration.ofSeconds(5));
        for (String longer : List.of("86401", "315360000", "999999999999", "99999999999999999999999",
                "Fri, 31 Dec 9999 23:59:59 GMT")) {
            assertThat(retryAfter("Retry-After", longer)).as(longer).isEqualTo(Duration.ofDays(1));
        }
    }

    @Test
    void ignoresWhatItCannotRead() {
        assertThat(retryAfter("Retry-After", "soon")).isNull();
        assertThat(retryAfter("X-Other", "5")).isNull();
        assertThat(UpstreamErrorDecoder.retryAfter(Map.of(), NOW)).isNull();
    }
}
