package io.assetetl.service.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** {@code GET /data}: one page of canonical assets. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DataResponse(List<AssetSummary> data, Pagination pagination, Meta meta) {

    /** @param nextCursor pass as {@code cursor} for the next page; {@code null} on the last page */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Pagination(int limit, @Schema(nullable = true) String nextCursor) {
    }
}
