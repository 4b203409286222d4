package io.assetetl.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.assetetl.service.http.ApiException;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Iterator;

/** The body of {@code POST /runs}: {@code {"source":"csv"}} and nothing else. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(description = "the source to run, and no other field",
        additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
public record RunTrigger(@Schema(requiredMode = Schema.RequiredMode.REQUIRED,
        description = "a configured source's name (any case when only one source matches it)", example = "csv")
        String source) {

    /**
     * Reads a request body strictly: any other field (a file path, settings) is refused rather than ignored, so
     * that a caller never believes it changed what a run reads.
     *
     * @throws ApiException 400 when the body is not an object with a text {@code source} and no other field
     */
    public static RunTrigger parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badParameter("body", "must be a JSON object such as {\"source\":\"csv\"}");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("source")) {
                throw ApiException.badParameter("body", "has an unknown field; only source is accepted");
            }
        }
        JsonNode source = body.get("source");
        if (source != null && !source.isNull() && !source.isTextual()) {
            throw ApiException.badParameter("source", "must be a source's name in a JSON string: {\"source\":\"csv\"}");
        }
        if (source == null || source.isNull() || source.asText().isBlank()) {
            throw ApiException.badParameter("source", "is required: {\"source\":\"csv\"}");
        }
        return new RunTrigger(source.asText().strip());
    }
}
