package io.assetetl.service.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** The body of {@code POST /runs}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunTrigger(String source) {
}
