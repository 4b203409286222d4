package io.assetetl.service.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * {@code GET /data} as it is written: {@link DataResponse} whose assets arrive already rendered as JSON objects of
 * the {@link AssetSummary} shape, and are copied into the body as they are.
 *
 * @param data the assets, a JSON array
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RenderedDataResponse(@JsonRawValue String data, DataResponse.Pagination pagination, Meta meta) {

    public RenderedDataResponse {
        requireNonNull(data, "data is null");
    }

    /** @param items JSON objects, one per asset */
    public static RenderedDataResponse of(List<String> items, DataResponse.Pagination pagination, Meta meta) {
        return new RenderedDataResponse("[" + String.join(",", items) + "]", pagination, meta);
    }
}
