package io.assetetl.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EtlIntervalTest {

    @Test
    void parsesIsoDurations() {
        assertThat(EtlInterval.parse("PT15M").every()).contains(Duration.ofMinutes(15));
        assertThat(EtlInterval.parse(" PT1H ").every()).contains(Duration.ofHours(1));
    }

    @Test
    void offInAnyCaseOrBlankOrYamlFalseMeansNoSchedule() {
        assertThat(EtlInterval.parse("off").every()).isEmpty();
        assertThat(EtlInterval.parse("OFF").every()).isEmpty();
        assertThat(EtlInterval.parse("").every()).isEmpty();
        assertThat(EtlInterval.fromBoolean(false).every()).isEmpty();
        assertThat(EtlInterval.OFF).hasToString("off");
    }

    @Test
    void rejectsNonDurationsAndNonPositiveDurations() {
        assertThatThrownBy(() -> EtlInterval.parse("15 minutes")).hasMessageContaining("ISO-8601");
        assertThatThrownBy(() -> EtlInterval.parse("PT0S")).hasMessageContaining("positive");
        assertThatThrownBy(() -> EtlInterval.parse("-PT1M")).hasMessageContaining("positive");
        assertThatThrownBy(() -> EtlInterval.parse("PT0.001S")).hasMessage("ETL interval (etlInterval, ETL_INTERVAL) must be at least PT1S:"
                + " PT0.001S");
        assertThat(EtlInterval.parse("PT1S").every()).contains(Duration.ofSeconds(1));
        assertThatThrownBy(() -> EtlInterval.fromBoolean(true)).isInstanceOf(IllegalArgumentException.class);
    }
}
