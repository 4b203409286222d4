package io.assetetl.service.resources;

import io.assetetl.query.AssetQueries;
import io.assetetl.query.HistoryFilter;
import io.assetetl.service.api.AssetDetail;
import io.assetetl.service.api.ErrorResponse;
import io.assetetl.service.api.HistoryResponse;
import io.assetetl.service.http.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/** One asset: {@code GET /assets/{symbol}} and its price history. */
@Path("/assets/{symbol}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "assets")
public final class AssetResource {

    private static final int HISTORY_DEFAULT_LIMIT = 100;
    private static final int HISTORY_MAX_LIMIT = 1000;

    private final AssetQueries assets;
    private final KnownSources sources;
    private final BigDecimal divergenceThreshold;

    /** @param sources what the history's {@code source} filter may name */
    public AssetResource(AssetQueries assets, KnownSources sources, BigDecimal divergenceThreshold) {
        this.assets = assets;
        this.sources = sources;
        this.divergenceThreshold = divergenceThreshold;
    }

    @GET
    @Operation(summary = "Every source's latest record of one asset, the consensus price and divergent sources",
            responses = {
                @ApiResponse(responseCode = "200", description = "the asset",
                        content = @Content(schema = @Schema(implementation = AssetDetail.class))),
                @ApiResponse(responseCode = "400", description = "the symbol is invalid; the message says why",
                        content = @Content(schema = @Schema(implementation = ErrorResponse.class))),
                @ApiResponse(responseCode = "404", description = "no such asset",
                        content = @Content(schema = @Schema(implementation = ErrorResponse.class)))})
    public AssetDetail get(@Parameter(description = "canonical symbol, any case") @PathParam("symbol") String symbol) {
        String canonical = canonical(symbol);
        return assets.find(canonical)
                .map(asset -> AssetDetail.from(asset, divergenceThreshold))
                .orElseThrow(() -> unknown(canonical));
    }

    @GET
    @Path("/history")
    @Operation(summary = "Price history of one asset, newest first",
            responses = {
                @ApiResponse(responseCode = "200", description = "the quotes, newest first; empty when none match",
                        content = @Content(schema = @Schema(implementation = HistoryResponse.class))),
                @ApiResponse(responseCode = "400", description = "a parameter is invalid; the message names it",
                        content = @Content(schema = @Schema(implementation = ErrorResponse.class))),
                @ApiResponse(responseCode = "404", description = "no such asset",
                        content = @Content(schema = @Schema(implementation = ErrorResponse.class)))})
    public HistoryResponse history(
            @Parameter(description = "canonical symbol, any case") @PathParam("symbol") String symbol,
            @Parameter(description = "only this source's quotes; "
                    + KnownSources.DESCRIPTION) @QueryParam("source") String source,
            @Parameter(description = "observed at or after (ISO-8601 with offset)",
                    schema = @Schema(type = "string", format = "date-time")) @QueryParam("from") String from,
            @Parameter(description = "observed before (ISO-8601 with offset)",
                    schema = @Schema(type = "string", format = "date-time")) @QueryParam("to") String to,
            @Parameter(description = "1 to 1000 (default 100)", schema = @Schema(type = "integer", format = "int32",
                    minimum = "1", maximum = "" + HISTORY_MAX_LIMIT, defaultValue = "" + HISTORY_DEFAULT_LIMIT))
            @QueryParam("limit") String limit) {
        String canonical = canonical(symbol);
        Optional<Instant> start = Params.instant("from", from);
        Optional<Instant> end = Params.instant("to", to);
        if (start.isPresent() && end.isPresent() && !start.get().isBefore(end.get())) {
            throw ApiException.badParameter("from", "must be before to");
        }
        HistoryFilter filter = new HistoryFilter(sources.parameter(source), start.map(Params::storedPrecision),
                end.map(Params::storedPrecision),
                Params.limit(limit, HISTORY_DEFAULT_LIMIT, HISTORY_MAX_LIMIT));
        if (!assets.exists(canonical)) {
            throw unknown(canonical);
        }
        return HistoryResponse.from(canonical, assets.history(canonical, filter));
    }

    private static String canonical(String symbol) {
        return Params.symbol("symbol", symbol).orElseThrow(() -> ApiException.badParameter("symbol", "is empty"));
    }

    private static ApiException unknown(String symbol) {
        return ApiException.notFound("no asset with symbol " + symbol);
    }
}
