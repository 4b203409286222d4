package io.assetetl.sources.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assetetl.spi.InvalidSourceConfigException;
import io.assetetl.spi.SourceConfig;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CsvSourceConfigTest {

    @Test
    void batchesHoldFiftyThousandRecordsOrEightMebibytesOfTheFileByDefault() {
        CsvSourceConfig csv = CsvSourceConfig.from(SourceConfig.of(Map.of()));
        WeirdCsvSourceConfig weird = WeirdCsvSourceConfig.from(SourceConfig.of(Map.of()));

        assertThat(csv.batchSize()).isEqualTo(50_000);
        assertThat(csv.batchBytes()).isEqualTo(8 * 1024 * 1024);
        assertThat(weird.batchSize()).isEqualTo(50_000);
        assertThat(weird.batchBytes()).isEqualTo(8 * 1024 * 1024);
    }

    @Test
    void takesBatchSizeAndBatchBytesFromTheSettings() {
        SourceConfig settings = SourceConfig.of(Map.of("batch_size", "1000", "batch_bytes", "65536"));

        assertThat(CsvSourceConfig.from(settings).batchBytes()).isEqualTo(65_536);
        assertThat(CsvSourceConfig.from(settings).batchSize()).isEqualTo(1000);
        assertThat(WeirdCsvSourceConfig.from(settings).batchBytes()).isEqualTo(65_536);
    }

    @Test
    void readsTheTimeZoneOfTimesWithoutAnOffsetAsARegionOrAnOffsetAndRefusesAnythingElse() {
        assertThat(WeirdCsvSourceConfig.from(SourceConfig.of(Map.of())).timeZone()).isEqualTo(ZoneOffset.UTC);
        assertThat(WeirdCsvSourceConfig.from(SourceConfig.of(Map.of("time_zone", "Europe/Berlin"))).timeZone())
                .isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(WeirdCsvSourceConfig.from(SourceConfig.of(Map.of("time_zone", " +05:30 "))).timeZone())
                .isEqualTo(ZoneOffset.ofHoursMinutes(5, 30));
        assertThatThrownBy(() -> WeirdCsvSourceConfig.from(SourceConfig.of(Map.of("time_zone", "CEST"))))
                .isInstanceOf(InvalidSourceConfigException.class)
                .hasMessage("setting 'time_zone' must be a time zone such as Europe/Berlin, UTC or +01:00: CEST");
    }

    @Test
    void refusesASettingTheSourceDoesNotHaveNamingTheClosestOne() {
        assertThatThrownBy(() -> WeirdCsvSourceConfig.from(SourceConfig.of(Map.of("timezone", "Europe/Berlin"))))
                .isInstanceOf(InvalidSourceConfigException.class)
                .hasMessage("unknown setting 'timezone' for a source of type csv_weird (did you mean 'time_zone'?);"
                        + " its settings are batch_bytes, batch_size, date_order, decimal_mark, fuzzy_threshold,"
                        + " path, time_zone");
        assertThatThrownBy(() -> CsvSourceConfig.from(SourceConfig.of(Map.of("date_order", "DMY"))))
                .isInstanceOf(InvalidSourceConfigException.class)
                .hasMessage("unknown setting 'date_order' for a source of type csv; its settings are batch_bytes,"
                        + " batch_size, path");
        assertThatThrownBy(() -> CsvSourceConfig.from(SourceConfig.of(Map.of("Batch_Size", "10"))))
                .hasMessageContaining("(did you mean 'batch_size'?)");
    }

    @Test
    void refusesABatchBytesOutsideOneByteToOneGibibyte() {
        for (String bad : new String[] {"0", "-1", "1073741825"}) {
            SourceConfig settings = SourceConfig.of(Map.of("batch_bytes", bad));
            assertThatThrownBy(() -> CsvSourceConfig.from(settings)).isInstanceOf(InvalidSourceConfigException.class)
                    .hasMessage("setting 'batch_bytes' must be between 1 and 1073741824: " + bad);
            assertThatThrownBy(() -> WeirdCsvSourceConfig.from(settings))
                    .isInstanceOf(InvalidSourceConfigException.class).hasMessageContaining("batch_bytes");
        }
        assertThatThrownBy(() -> CsvSourceConfig.from(SourceConfig.of(Map.of("batch_bytes", "8MB"))))
                .isInstanceOf(InvalidSourceConfigException.class)
                .hasMessage("setting 'batch_bytes' is not a whole number: 8MB");
        assertThat(CsvSourceConfig.from(SourceConfig.of(Map.of("batch_bytes", "1073741824"))).batchBytes())
                .isEqualTo(1 << 30);
    }
}
