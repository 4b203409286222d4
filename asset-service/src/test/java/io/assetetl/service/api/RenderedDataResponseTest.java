package io.assetetl.service.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
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
