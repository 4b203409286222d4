package io.assetetl.service.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.assetetl.service.http.ApiException;
import org.junit.jupiter.api.Test;

class RunTriggerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aSourceNamedInTextIsReadStripped() throws Exception {
        assertThat(RunTrigger.parse(JSON.readTree("{\"source\":\" csv \"}")).source()).isEqualTo("csv");
    }

    @Test
    void aMissingOrBlankSourceIsSaidToBeRequired() {
        for (String body : new String[] {"{}", "{\"source\":null}", "{\"source\":\"  \"}"}) {
            assertThatThrownBy(() -> RunTrigger.parse(JSON.readTree(body))).as(body)
                    .isInstanceOf(ApiException.class).hasMessage("source is required: {\"source\":\"csv\"}");
        }
    }

    @Test
    void aSourceThatIsNoTextIsSaidToBeOneRatherThanMissing() {
        for (String body : new String[] {"{\"source\":5}", "{\"source\":[\"csv\"]}", "{\"source\":{}}"}) {
            assertThatThrownBy(() -> RunTrigger.parse(JSON.readTree(body))).as(body)
                    .isInstanceOf(ApiException.class)
                    .hasMessage("source must be a source's name in a JSON string: {\"source\":\"csv\"}");
        }
    }

    @Test
    void anyOtherFieldIsRefused() {
        assertThatThrownBy(() -> RunTrigger.parse(JSON.readTree("{\"source\":\"csv\",\"path\":\"/etc/passwd\"}")))
                .isInstanceOf(ApiException.class).hasMessage("body has an unknown field; only source is accepted");
    }
}
