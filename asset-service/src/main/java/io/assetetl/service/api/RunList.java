package io.assetetl.service.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/** {@code GET /runs}: runs newest first. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunList(List<RunSummary> data) {
}
