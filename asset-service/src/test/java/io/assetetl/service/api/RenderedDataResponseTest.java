package io.assetetl.service.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.RawValue;
import io.dropwizard.jackson.Jackson;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RenderedDataResponseTest {

    private final ObjectMapper mapper = Jackson.newObjectMapper();

    @Test
    void writesTheRenderedItemsAsTheyAreBetweenPaginationAndMeta() throws Exception {
        RenderedDataResponse response = RenderedDataResponse.of(
                List.of("{\"symbol\":\"BTC\",\"name\":\"Bitcoin\"}", "{\"symbol\":\"ETH\",\"name\":\"Éther € 🚀\"}"),
                new DataResponse.Pagination(2, "RVRI"), new Meta("req-1", 3));

        String json = new String(mapper.writeValueAsBytes(response), StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("{\"data\":[{\"symbol\":\"BTC\",\"name\":\"Bitcoin\"},"
                + "{\"symbol\":\"ETH\",\"name\":\"Éther € 🚀\"}],"
                + "\"pagination\":{\"limit\":2,\"next_cursor\":\"RVRI\"},"
                + "\"meta\":{\"request_id\":\"req-1\",\"api_latency_ms\":3}}");
    }

    @Test
    void itsBodyIsWhatJacksonWritesOfTheWholeResponseAndAsLongAsItSays() throws Exception {
        List<String> large = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            large.add("{\"symbol\":\"S" + i + "\",\"name\":\"" + "ü".repeat(40) + "\"}");
        }
        List<RenderedDataResponse> responses = List.of(
                RenderedDataResponse.of(List.of("{\"symbol\":\"ETH\",\"name\":\"Éther € 🚀\"}"),
                        new DataResponse.Pagination(1, "RVRI"), new Meta("req-1", 3)),
                RenderedDataResponse.of(List.of(), new DataResponse.Pagination(50, null), new Meta("req-2", 0)),
                RenderedDataResponse.of(large, new DataResponse.Pagination(500, null), new Meta(null, 12)),
                new RenderedDataResponse(new RawValue("[{\"symbol\":\"Ü\"}]"), new DataResponse.Pagination(1, "x"),
                        new Meta("req-3", 1)));

        for (RenderedDataResponse response : responses) {
            assertThat(body(mapper, response)).isEqualTo(mapper.writeValueAsBytes(response));
        }
        ObjectMapper leavingOutNulls = Jackson.newObjectMapper().setSerializationInclusion(Include.NON_NULL);
        RenderedDataResponse withoutTail = RenderedDataResponse.of(List.of("{}"), null, null);
        assertThat(new String(body(leavingOutNulls, withoutTail), StandardCharsets.UTF_8)).isEqualTo("{\"data\":[{}]}")
                .isEqualTo(leavingOutNulls.writeValueAsString(withoutTail));
    }

    /** What {@link RenderedDataResponse.Body} writes, checked against the length it gives. */
    private static byte[] body(ObjectMapper mapper, RenderedDataResponse response) throws Exception {
        RenderedDataResponse.Body body = response.body(mapper.writerFor(RenderedDataResponse.Tail.class));
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        body.write(written);
        assertThat(body.length()).isEqualTo(written.size());
        return written.toByteArray();
    }

    @Test
    void aPageLargerThanTheGeneratorsBufferArrivesWhole() throws Exception {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            items.add("{\"symbol\":\"S" + i + "\",\"name\":\"" + "ü".repeat(40) + "\"}");
        }

        JsonNode body = mapper.readTree(mapper.writeValueAsBytes(RenderedDataResponse.of(items,
                new DataResponse.Pagination(500, null), new Meta("req-2", 1))));

        assertThat(body.get("data")).hasSize(500);
        assertThat(body.get("data").get(499).get("symbol").asText()).isEqualTo("S499");
        assertThat(body.get("data").get(250).get("name").asText()).isEqualTo("ü".repeat(40));
    }
}
