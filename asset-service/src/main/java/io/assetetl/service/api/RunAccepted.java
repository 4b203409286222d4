package io.assetetl.service.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.UUID;

/** {@code 202} to {@code POST /runs}: the run holds its source's lock and runs in the background. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunAccepted(UUID runId, String source, String status) {
}
