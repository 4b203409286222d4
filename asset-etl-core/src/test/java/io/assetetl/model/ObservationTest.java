package io.assetetl.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ObservationTest {

    @Test
    void keepsItsTimeToTheMicrosecondRoundedAsPostgresqlRoundsIt() {
        assertThat(at("2026-01-01T00:00:00.0000001Z")).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(at("2026-01-01T00:00:00.0000005Z")).as("half to even").isEqualTo("2026-01-01T00:00:00Z");
        assertThat(at("2026-01-01T00:00:00.0000015Z")).isEqualTo("2026-01-01T00:00:00.000002Z");
        assertThat(at("2026-01-01T00:00:00.9999996Z")).isEqualTo("2026-01-01T00:00:01Z");
        assertThat(at("2026-01-01T00:00:00.123456Z")).isEqualTo("2026-01-01T00:00:00.123456Z");
        assertThat(Observation.toMicros(Instant.MAX)).as("nothing later to round to").isBefore(Instant.MAX);
    }

    @Test
    void takesAMissingSymbolForTheEngineToReject() {
        assertThat(observation(null).sourceSymbol()).isNull();
        assertThat(observation(" ").sourceSymbol()).isBlank();
    }

    @Test
    void theConstructorWithoutAWrittenSymbolTakesTheResolvedSymbolAsWritten() {
        Observation observation = observation("btc");

        assertThat(observation.writtenSymbol()).isEqualTo("btc");
        assertThat(observation).isEqualTo(observation("btc", null))
                .as("null means the same as the resolved symbol").isEqualTo(observation("btc", "btc"));
    }

    @Test
    void keepsTheSymbolAsWrittenApartFromTheResolvedOne() {
        Observation observation = observation("SHIB", "$SHIB");

        assertThat(observation.sourceSymbol()).isEqualTo("SHIB");
        assertThat(observation.writtenSymbol()).isEqualTo("$SHIB");
        assertThat(observation).isNotEqualTo(observation("SHIB"));
    }

    @Test
    void takesABlankWrittenSymbolForTheEngineToReject() {
        assertThat(observation("SHIB", " ").writtenSymbol()).isBlank();
        assertThat(observation(null, null).writtenSymbol()).isNull();
    }

    private static String at(String time) {
        return new Observation("BTC", null, null, BigDecimal.ONE, null, null, Instant.parse(time),
                new RawRecord.Keyed("k", "{}")).observedAt().toString();
    }

    private static Observation observation(String symbol) {
        return new Observation(symbol, null, null, BigDecimal.ONE, null, null, Instant.EPOCH,
                new RawRecord.Keyed("k", "{}"));
    }

    private static Observation observation(String symbol, String writtenSymbol) {
        return new Observation(symbol, null, null, BigDecimal.ONE, null, null, Instant.EPOCH,
                new RawRecord.Keyed("k", "{}"), writtenSymbol);
    }
}
