package io.assetetl.service.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import org.junit.jupiter.api.Test;

class ReadCacheSettingsTest {

    @Test
    void unsetSettingsTakeTheirDefaults() {
        ReadCacheSettings settings = new ReadCacheSettings(null, null, null);

        assertThat(settings.enabled()).isTrue();
        assertThat(settings.maxSize()).isEqualTo(DataSize.mebibytes(32));
        assertThat(settings.maxAge()).isEqualTo(Duration.minutes(5));
    }

    @Test
    void anEmptyCacheOrANoAgeIsRefusedWithTheSettingsName() {
        assertThatThrownBy(() -> new ReadCacheSettings(true, DataSize.bytes(0), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("readCache.maxSize");
        assertThatThrownBy(() -> new ReadCacheSettings(true, null, Duration.seconds(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("readCache.maxAge");
    }
}
