package io.assetetl.service.resources;

import io.assetetl.AssetEtl;
import io.assetetl.query.RunQueries;
import io.assetetl.query.SourceLastRuns;
import io.assetetl.query.SourceFreshness;
import io.assetetl.run.SourceDefinition;
import io.assetetl.service.api.RunSummary;
import io.assetetl.service.api.SourcesResponse;
import io.assetetl.service.api.SourcesResponse.CheckpointView;
import io.assetetl.service.api.SourcesResponse.Freshness;
import io.assetetl.service.api.SourcesResponse.SourceStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** {@code GET /sources}: each configured source, its checkpoint, last run and freshness. Settings stay private. */
@Path("/sources")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "sources")
public final class SourceResource {

    private final AssetEtl etl;
    private final RunQueries runs;
    private final Clock clock;

    public SourceResource(AssetEtl etl, RunQueries runs, Clock clock) {
        this.etl = etl;
        this.runs = runs;
        this.clock = clock;
    }

    @GET
    @Operation(summary = "Each source: enabled, checkpoint, last run, freshness",
            responses = @ApiResponse(responseCode = "200", description = "every configured source",
                    content = @Content(schema = @Schema(implementation = SourcesResponse.class))))
    public SourcesResponse sources() {
        Map<String, SourceLastRuns> activity = runs.lastRuns().stream()
                .collect(Collectors.toMap(SourceLastRuns::source, Function.identity()));
        Map<String, SourceFreshness> freshness = runs.freshness().stream()
                .collect(Collectors.toMap(SourceFreshness::source, Function.identity()));
        Instant now = clock.instant();
        List<SourceStatus> data = etl.sources().stream()
                .map(s -> status(s, activity.get(s.name()), freshness.get(s.name()), now))
                .toList();
        return new SourcesResponse(data);
    }

    private SourceStatus status(SourceDefinition source, SourceLastRuns activity, SourceFreshness fresh,
            Instant now) {
        Instant lastSuccess = activity == null ? null : activity.lastSuccessAt();
        Freshness freshness = new Freshness(fresh == null ? 0 : fresh.assets(),
                fresh == null ? null : fresh.latestObservedAt(), fresh == null ? null : fresh.latestUpdatedAt(),
                lastSuccess, lastSuccess == null ? null : Duration.between(lastSuccess, now).toSeconds());
        return new SourceStatus(source.name(), source.type(), source.enabled(),
                etl.checkpoints(source.name()).stream().map(CheckpointView::from).toList(),
                activity == null ? null : RunSummary.from(activity.lastRun()), freshness);
    }
}
