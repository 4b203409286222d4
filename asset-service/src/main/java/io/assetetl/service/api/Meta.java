package io.assetetl.service.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * @param requestId    also sent as the {@code X-Request-Id} header
 * @param apiLatencyMs time spent answering, up to building this body
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Meta(String requestId, long apiLatencyMs) {
}
