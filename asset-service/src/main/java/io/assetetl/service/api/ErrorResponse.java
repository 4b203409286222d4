package io.assetetl.service.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Every error the API answers: the HTTP status again and a message safe to show; never a stack trace. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ErrorResponse(int code, String message) {
}
