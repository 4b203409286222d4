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
        return new RenderedDataResponse(array(items), pagination, meta);
    }

    /** The JSON array of {@code items}, encoded to UTF-8 now, once, for as many responses as carry it. */
    public static RawValue array(List<String> items) {
        return new RawValue(new Utf8Json("[" + String.join(",", items) + "]"));
    }

    /** How many bytes {@code data} takes in a body (and about as many again in memory, as text). */
    public static int encodedLength(RawValue data) {
        return data.rawValue() instanceof Utf8Json json ? json.asUnquotedUTF8().length : data.toString().length();
    }
}
