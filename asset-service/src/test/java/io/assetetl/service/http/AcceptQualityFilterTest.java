package io.assetetl.service.http;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.junit.jupiter.api.Test;

class AcceptQualityFilterTest {

    private static Double qualityOfJson(String... accept) {
        List<AcceptQualityFilter.Range> ranges = AcceptQualityFilter.ranges(List.of(accept));
        AcceptQualityFilter.Range range = AcceptQualityFilter.mostSpecific(ranges, MediaType.APPLICATION_JSON_TYPE);
        return range == null ? null : range.quality();
    }

    @Test
    void readsEachRangesQualityOneWhenItGivesNone() {
        assertThat(qualityOfJson("application/json")).isEqualTo(1.0);
        assertThat(qualityOfJson("application/json;q=0")).isEqualTo(0.0);
        assertThat(qualityOfJson("application/json; q=0.000")).isEqualTo(0.0);
        assertThat(qualityOfJson("application/json;q=0.5")).isEqualTo(0.5);
        assertThat(qualityOfJson("text/html")).as("no range matches").isNull();
    }

    @Test
    void theMostSpecificMatchingRangeDecides() {
        assertThat(qualityOfJson("*/*;q=0, application/json")).isEqualTo(1.0);
        assertThat(qualityOfJson("application/json;q=0, */*")).isEqualTo(0.0);
        assertThat(qualityOfJson("application/*;q=0, */*;q=1")).isEqualTo(0.0);
        assertThat(qualityOfJson("text/html, application/*;q=0.2", "*/*;q=0")).isEqualTo(0.2);
        assertThat(qualityOfJson("APPLICATION/JSON;q=0")).as("types are case-insensitive").isEqualTo(0.0);
    }

    @Test
    void ofEquallySpecificRangesTheHighestQualityDecides() {
        assertThat(qualityOfJson("application/json;q=0, application/json;q=0.3")).isEqualTo(0.3);
    }

    @Test
    void aHeaderItCannotReadIsLeftToJersey() {
        assertThat(AcceptQualityFilter.ranges(List.of("application/json;q=2"))).isNull();
        assertThat(AcceptQualityFilter.ranges(List.of("application/json;q=x"))).isNull();
        assertThat(AcceptQualityFilter.ranges(List.of("application/json;q=NaN"))).isNull();
        assertThat(AcceptQualityFilter.ranges(List.of(" , application/json"))).hasSize(1);
    }
}
