package io.assetetl.service.resources;

import io.assetetl.service.api.HealthResponse;
import io.assetetl.service.health.ServiceHealth;
import io.assetetl.service.http.UnexpectedExceptionMapper;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /health}: 200 when the database answers, 503 with a {@code Retry-After} (as every 503 of the service)
 * when it does not; each source's last run.
 */
@Path("/health")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "operations")
public final class HealthResource {

    private final ServiceHealth health;

    public HealthResource(ServiceHealth health) {
        this.health = health;
    }

    @GET
    @Operation(summary = "Database connectivity and each source's last run",
            responses = {
                @ApiResponse(responseCode = "200", description = "the database answers; each source's last run",
                        content = @Content(schema = @Schema(implementation = HealthResponse.class))),
                @ApiResponse(responseCode = "503",
                        description = "the database is unreachable; try again after Retry-After seconds",
                        content = @Content(schema = @Schema(implementation = HealthResponse.class)))})
    public Response health() {
        HealthResponse answer = health.check();
        if (answer.healthy()) {
            return Response.ok(answer).build();
        }
        return Response.status(Response.Status.SERVICE_UNAVAILABLE).entity(answer)
                .header(HttpHeaders.RETRY_AFTER, UnexpectedExceptionMapper.RETRY_AFTER_SECONDS).build();
    }
}
