package io.assetetl.service.warmup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.util.Duration;
import org.junit.jupiter.api.Test;

class WarmUpSettingsTest {

    @Test
    void unsetSettingsWarmNothingUp() {
        WarmUpSettings settings = WarmUpSettings.off();

        assertThat(settings.requests()).isZero();
        assertThat(settings.enabled()).isFalse();
        assertThat(settings.threads()).isEqualTo(2);
        assertThat(settings.maxDuration()).isEqualTo(Duration.seconds(60));
        assertThat(settings.stopWhenCompiled()).isTrue();
    }

    @Test
    void aNumberOfRequestsTurnsItOn() {
        assertThat(new WarmUpSettings(1, null, null, null).enabled()).isTrue();
    }

    @Test
    void stoppingOnceCompiledCanBeTurnedOffToSendEveryRequest() {
        assertThat(new WarmUpSettings(1, null, null, false).stopWhenCompiled()).isFalse();
    }

    @Test
    void impossibleSettingsAreRefusedWithTheSettingsName() {
        assertThatThrownBy(() -> new WarmUpSettings(-1, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("warmUp.requests");
        assertThatThrownBy(() -> new WarmUpSettings(10, 0, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("warmUp.threads");
        assertThatThrownBy(() -> new WarmUpSettings(10, 1, Duration.seconds(0), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("warmUp.maxDuration");
    }
}
