package io.assetetl.service;

import io.swagger.v3.core.filter.AbstractSpecFilter;
import io.swagger.v3.core.model.ApiDescription;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Documents the 503 that every endpoint reading or writing the database answers while it is unreachable (see
 * {@code UnexpectedExceptionMapper}), rather than repeating it on each operation's annotations.
 */
public final class DatabaseUnavailableResponses extends AbstractSpecFilter {

    /** Paths served without the database. */
    private static final Set<String> WITHOUT_DATABASE = Set.of(OpenApi.METRICS_PATH, OpenApi.DESCRIPTION_PATH);

    @Override
    public Optional<Operation> filterOperation(Operation operation, ApiDescription api,
            Map<String, List<String>> params, Map<String, String> cookies, Map<String, List<String>> headers) {
        if (!WITHOUT_DATABASE.contains(api.getPath()) && operation.getResponses() != null
                && !operation.getResponses().containsKey("503")) {
            operation.getResponses().addApiResponse("503", new ApiResponse()
                    .description("the database is unreachable; try again after Retry-After seconds")
                    .content(new Content().addMediaType(jakarta.ws.rs.core.MediaType.APPLICATION_JSON,
                            new MediaType().schema(new Schema<>().$ref("#/components/schemas/ErrorResponse")))));
        }
        return Optional.of(operation);
    }
}
