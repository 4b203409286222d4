package io.assetetl.service.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.util.RawValue;
import java.util.List;

/**
 * {@code GET /data} as it is written: {@link DataResponse} whose assets arrive already rendered as JSON objects of
 * the {@link AssetSummary} shape, and are copied into the body as they are, already encoded as UTF-8.
 *
 * @param data the assets, a JSON array
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RenderedDataResponse(RawValue data, DataResponse.Pagination pagination, Meta meta) {

    public RenderedDataResponse {
        requireNonNull(data, "data is null");
    }

    /** @param items JSON objects, one per asset */
    public static RenderedDataResponse of(List<String> items, DataResponse.Pagination pagination, Meta meta) {
        return new RenderedDataResponse(new RawValue(new Utf8Json("[" + String.join(",", items) + "]")), pagination,
                meta);
    }
}
