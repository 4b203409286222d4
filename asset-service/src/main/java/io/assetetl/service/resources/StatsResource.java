package io.assetetl.service.resources;

import io.assetetl.query.RunQueries;
import io.assetetl.query.SourceActivity;
import io.assetetl.service.api.StatsResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /stats}: per source, what its runs have done. */
@Path("/stats")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "runs")
public final class StatsResource {

    private final RunQueries runs;
    private final List<String> configured;

    /** @param configured the configured sources' names, listed even before their first run */
    public StatsResource(RunQueries runs, List<String> configured) {
        this.runs = runs;
        this.configured = List.copyOf(configured);
    }

    @GET
    @Operation(summary = "Per source: records processed (last run and total), last duration, last success and "
            + "failure, last run's metadata",
            responses = @ApiResponse(responseCode = "200",
                    description = "each configured source and each source that has run, by source name",
                    content = @Content(schema = @Schema(implementation = StatsResponse.class))))
    public StatsResponse stats() {
        Map<String, StatsResponse.SourceStats> sources = new LinkedHashMap<>();
        configured.forEach(source -> sources.put(source, StatsResponse.SourceStats.NEVER_RUN));
        for (SourceActivity activity : runs.activity()) {
            sources.put(activity.source(), StatsResponse.SourceStats.from(activity));
        }
        return new StatsResponse(sources);
    }
}
