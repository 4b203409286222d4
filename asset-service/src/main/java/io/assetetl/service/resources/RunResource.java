package io.assetetl.service.resources;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetetl.AssetEtl;
import io.assetetl.query.RunComparison;
import io.assetetl.query.RunQueries;
import io.assetetl.run.RunRecord;
import io.assetetl.run.RunRequest;
import io.assetetl.run.RunStatus;
import io.assetetl.run.SourceDefinition;
import io.assetetl.run.StartedRun;
import io.assetetl.service.api.CompareRunsResponse;
import io.assetetl.service.api.ErrorResponse;
import io.assetetl.service.api.RunAccepted;
import io.assetetl.service.api.RunDetail;
import io.assetetl.service.api.RunList;
import io.assetetl.service.api.RunSummary;
import io.assetetl.service.api.RunTrigger;
import io.assetetl.service.http.AdminOnly;
import io.assetetl.service.http.ApiException;
import io.assetetl.service.http.JsonBody;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The run ledger over HTTP, and {@code POST /runs} to start one. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "runs")
public final class RunResource {

    private static final int RUNS_DEFAULT_LIMIT = 50;
    private static final int RUNS_MAX_LIMIT = 500;
    private static final int PAIRS_DEFAULT_LIMIT = 10;
    private static final int PAIRS_MAX_LIMIT = 100;
    /** The kinds of run, each compared with runs of its own kind alone. */
    private static final List<String> RUN_KINDS = List.of("ingest", "reprocess");

    private final AssetEtl etl;
    private final RunQueries runs;
    private final KnownSources sources;

    /** @param sources what the {@code source} filters may name */
    public RunResource(AssetEtl etl, RunQueries runs, KnownSources sources) {
        this.etl = etl;
        this.runs = runs;
        this.sources = sources;
    }

    @GET
    @Path("runs")
    @Operation(summary = "Runs, newest first",
            responses = {
                @ApiResponse(responseCode = "200", description = "the runs, newest first",
                        content = @Content(schema = @Schema(implementation = RunList.class))),
                @ApiResponse(responseCode = "400", description = "a parameter is invalid; the message names it",
                        content = @Content(schema = @Schema(implementation = ErrorResponse.class)))})
    public RunList list(
            @Parameter(description = "1 to 500 (default 50)", schema = @Schema(type = "integer", format = "int32",
                    minimum = "1", maximum = "" + RUNS_MAX_LIMIT, defaultValue = "" + RUNS_DEFAULT_LIMIT))
            @QueryParam("limit") String limit,
            @Parameter(description = "only this source's runs; " + KnownSources.DESCRIPTION) @QueryParam("source") String source,
            @Parameter(description = "running, succeeded, failed or abandoned (any case)", schema = @Schema(
                    type = "string", allowableValues = {"running", "succeeded", "failed", "abandoned"}))
            @QueryParam("status") String status) {
        List<RunRecord> found = etl.runs(Params.limit(limit, RUNS_DEFAULT_LIMIT, RUNS_MAX_LIMIT),
                sources.parameter(source), status(status));
        return new RunList(found.stream().map(RunSummary::from).toList());
    }

    @GET
    @Path("runs/{run_id}")
    @Operation(summary = "One run with its rejects counted by reason and its schema drift events",
            responses = {
                @ApiResponse(responseCode = "200", description = "the run",
                        content = @Content(schema = @Schema(implementation = RunDetail.class))),
                @ApiResponse(responseCode = "400", description = "run_id is not a UUID",
                        content = @Content(schema = @Schema(implementation = ErrorResponse.class))),
                @ApiResponse(responseCode = "404", description = "no run with that id",
                        content = @Content(schema = @Schema(implementation = ErrorResponse.class)))})
    public RunDetail get(@Parameter(description = "the run's id, a UUID") @PathParam("run_id") String runId) {
        UUID id = Params.uuid("run_id", runId);
        RunRecord run = etl.findRun(id).orElseThrow(() -> ApiException.notFound("no run with id " + id));
        return RunDetail.from(run, runs.rejectsByReason(id), runs.driftEvents(id));
    }

    @POST
    @Path("runs")
    @AdminOnly
    @JsonBody
    @Operation(summary = "Start a run of a source in the background",
            security = @SecurityRequirement(name = "bearer"),
            responses = {
                @ApiResponse(responseCode = "202", description = "started; the run holds its source's lock",
                        content = @Content(schema = @Schema(implementation = RunAccepted.class))),
                @ApiResponse(responseCode = "400",
                        description = "the body is not a JSON object with a text source and no other field; "
                                + "the message says what is wrong",
                        content = @Content(schema = @Schema(implementation = ErrorResponse.class))),
                @ApiResponse(responseCode = "401", description = "missing or wrong bearer token",
                        content = @Content(schema = @Schema(implementation = ErrorResponse.class))),
                @ApiResponse(responseCode = "403", description = "no ADMIN_TOKEN configured",
                        content = @Content(schema = @Schema(implementation = ErrorResponse.class))),
                @ApiResponse(responseCode = "404", description = "unknown source",
                        content = @Content(schema = @Schema(implementation = ErrorResponse.class))),
                @ApiResponse(responseCode = "409", description = "a run of that source is in progress",
                        content = @Content(schema = @Schema(implementation = ErrorResponse.class))),
                @ApiResponse(responseCode = "413", description = "the body is larger than 64 KiB",
                        content = @Content(schema = @Schema(implementation = ErrorResponse.class))),
                @ApiResponse(responseCode = "415", description = "the body is not declared as application/json",
                        content = @Content(schema = @Schema(implementation = ErrorResponse.class)))})
    public Response start(@RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = RunTrigger.class))) JsonNode body) {
        String source = RunTrigger.parse(body).source();
        Params.text("source", source);
        StartedRun run = etl.start(RunRequest.of(configured(source)));
        return Response.accepted(new RunAccepted(run.runId(), run.source(), RunStatus.RUNNING.code()))
                .location(URI.create("/runs/" + run.runId()))
                .build();
    }

    /**
     * The configured source {@code name} names: itself, or the one configured source it matches ignoring case, as the
     * {@code source} filters read it.
     *
     * @throws ApiException 404 when it names none (or, but for case, several)
     */
    private String configured(String name) {
        if (etl.source(name).isPresent()) {
            return name;
        }
        List<String> sameIgnoringCase = etl.sources().stream().map(SourceDefinition::name)
                .filter(name::equalsIgnoreCase).toList();
        if (sameIgnoringCase.size() == 1) {
            return sameIgnoringCase.get(0);
        }
        throw ApiException.notFound("unknown source " + name + (sameIgnoringCase.isEmpty() ? ""
                : "; it matches several sources but for case, give one exactly: "
                        + String.join(", ", sameIgnoringCase)));
    }

    @GET
    @Path("compare-runs")
    @Operation(summary = "Consecutive finished runs side by side with anomaly flags",
            responses = {
                @ApiResponse(responseCode = "200", description = "pairs of consecutive finished runs by source, "
                        + "each source's newest pair first",
                        content = @Content(schema = @Schema(implementation = CompareRunsResponse.class))),
                @ApiResponse(responseCode = "400", description = "a parameter is invalid; the message names it",
                        content = @Content(schema = @Schema(implementation = ErrorResponse.class)))})
    public CompareRunsResponse compare(
            @Parameter(description = "one source (default: every source); "
                    + KnownSources.DESCRIPTION) @QueryParam("source") String source,
            @Parameter(description = "pairs per source, 1 to 100 (default 10)", schema = @Schema(type = "integer",
                    format = "int32", minimum = "1", maximum = "" + PAIRS_MAX_LIMIT,
                    defaultValue = "" + PAIRS_DEFAULT_LIMIT))
            @QueryParam("limit") String limit) {
        int pairs = Params.limit(limit, PAIRS_DEFAULT_LIMIT, PAIRS_MAX_LIMIT);
        Set<String> names = new LinkedHashSet<>();
        sources.parameter(source).ifPresentOrElse(names::add, () -> {
            etl.sources().stream().map(SourceDefinition::name).forEach(names::add);
            runs.lastRuns().forEach(a -> names.add(a.source()));
        });
        List<CompareRunsResponse.Pair> out = new ArrayList<>();
        for (String name : names) {
            // each kind is paired with its own (an ingest with the ingest before it), so each is read on its own:
            // read together, ten reprocesses after an ingest hid it and the ingest before it from the window. One
            // run of a source can be in progress, and it is skipped: one extra row keeps `pairs` pairs of a kind
            List<RunRecord> recent = new ArrayList<>();
            for (String kind : RUN_KINDS) {
                recent.addAll(etl.runs(pairs + 2, Optional.of(name), Optional.empty(), Optional.of(kind)));
            }
            recent.sort(Comparator.comparing(RunRecord::startedAt).reversed().thenComparing(RunRecord::runId));
            RunComparison.consecutive(recent).stream().limit(pairs).map(CompareRunsResponse.Pair::from)
                    .forEach(out::add);
        }
        return new CompareRunsResponse(out);
    }

    private static Optional<RunStatus> status(String raw) {
        return Params.text("status", raw).map(text -> {
            try {
                return RunStatus.fromCode(text.toLowerCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.badParameter("status", "must be running, succeeded, failed or abandoned");
            }
        });
    }
}
