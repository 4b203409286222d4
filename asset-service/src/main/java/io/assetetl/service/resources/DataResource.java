package io.assetetl.service.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.util.RawValue;
import io.assetetl.query.AssetFilter;
import io.assetetl.query.AssetQueries;
import io.assetetl.service.api.DataResponse;
import io.assetetl.service.api.ErrorResponse;
import io.assetetl.service.api.Meta;
import io.assetetl.service.api.RenderedDataResponse;
import io.assetetl.service.cache.ReadCache;
import io.assetetl.service.http.ApiException;
import io.assetetl.service.http.RequestContextFilter;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code GET /data}: canonical assets, filtered, in pages. The database renders each asset's JSON (see
 * {@link AssetQueries#pageJson}), so a page costs one indexed query and no per-asset work here; a page read once is
 * kept, encoded, until the summaries it came from change (see {@link ReadCache}), so that reading it again costs no
 * query at all.
 *
 * <p>The body is encoded here ({@link RenderedDataResponse#body}), not handed to the JAX-RS Jackson provider:
 * that provider keys its per-call lookup on the method's annotations, and hashing the OpenAPI annotations below on
 * every request cost almost a tenth of the endpoint's time under load. It is sent with its {@code Content-Length},
 * which Jersey cannot know of a streamed body: without it, a page larger than Jersey's 8 KiB buffer went out
 * chunked, and Jetty allocates each chunk's 12-byte framing outside its buffer pool's buckets, counting every such
 * allocation in a map that requests under load queued on.
 */
@Path("/data")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "assets")
public final class DataResource {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    /** What a page is read for. */
    public record PageRequest(AssetFilter filter, Optional<String> afterSymbol, int limit) {
    }

    /** A page as it is kept: its assets as one encoded JSON array, and the cursor of the next page if any. */
    public record Page(RawValue data, String nextCursor) {

        /** About the bytes it holds: its JSON, as bytes and as text. */
        public int weight() {
            return 2 * RenderedDataResponse.encodedLength(data) + 64;
        }
    }

    private final AssetQueries assets;
    private final KnownSources sources;
    private final ReadCache<PageRequest, Page> pages;
    private final ObjectWriter tailWriter;

    /**
     * @param sources what the {@code source} filter may name (without the filter, no query is made of it)
     * @param pages   where pages are kept until the summaries change
     * @param mapper  the service's object mapper, which writes the pages
     */
    public DataResource(AssetQueries assets, KnownSources sources, ReadCache<PageRequest, Page> pages,
            ObjectMapper mapper) {
        this.assets = assets;
        this.sources = sources;
        this.pages = pages;
        this.tailWriter = mapper.writerFor(RenderedDataResponse.Tail.class);
    }

    @GET
    @Operation(summary = "Canonical assets with consensus prices, in symbol order, keyset-paginated",
            responses = {
                @ApiResponse(responseCode = "200", description = "a page",
                        content = @Content(schema = @Schema(implementation = DataResponse.class))),
                @ApiResponse(responseCode = "400", description = "a parameter is invalid; the message names it",
                        content = @Content(schema = @Schema(implementation = ErrorResponse.class)))})
    public Response list(
            @Parameter(description = "canonical symbol (any case; aliases such as XBT accepted)")
            @QueryParam("symbol") String symbol,
            @Parameter(description = "only assets this source reports; "
                    + KnownSources.DESCRIPTION) @QueryParam("source") String source,
            @Parameter(description = "consensus price at least this (USD)",
                    schema = @Schema(type = "number", minimum = "0")) @QueryParam("min_price") String minPrice,
            @Parameter(description = "consensus price at most this (USD)",
                    schema = @Schema(type = "number", minimum = "0")) @QueryParam("max_price") String maxPrice,
            @Parameter(description = "page size, 1 to 500 (default 50)", schema = @Schema(type = "integer",
                    format = "int32", minimum = "1", maximum = "" + MAX_LIMIT, defaultValue = "" + DEFAULT_LIMIT))
            @QueryParam("limit") String limit,
            @Parameter(description = "next_cursor of the previous page; it carries that listing's filters, so they"
                    + " may be left out (given, they must be the same)", schema = @Schema(type = "string"))
            @QueryParam("cursor") String cursor,
            @Context ContainerRequestContext request) {
        int size = Params.limit(limit, DEFAULT_LIMIT, MAX_LIMIT);
        AssetFilter given = filter(symbol, source, minPrice, maxPrice);
        Optional<Params.Cursor> after = Params.readCursor(cursor);
        AssetFilter listing = given;
        if (after.isPresent() && after.get().listing().isPresent()) {
            Params.Listing issued = after.get().listing().get();
            try {
                listing = filter(issued.symbol(), issued.source(), issued.minPrice(), issued.maxPrice());
            } catch (ApiException e) {
                // a source removed since, say: the client gave no such parameter, so the cursor is what is wrong
                throw ApiException.badParameter("cursor", "carries a filter this service no longer takes ("
                        + e.getMessage() + "): start the listing again");
            }
            boolean filtersGiven = Stream.of(symbol, source, minPrice, maxPrice)
                    .anyMatch(p -> p != null && !p.isBlank());
            if (filtersGiven && !sameListing(given, listing)) {
                throw ApiException.badParameter("cursor", "belongs to a listing with other filters: give the filters"
                        + " of its first page again, or none");
            }
        }
        PageRequest wanted = new PageRequest(listing, after.map(Params.Cursor::afterSymbol), size);
        Page page = pages.get(wanted, () -> read(wanted));
        RenderedDataResponse body = new RenderedDataResponse(page.data(),
                new DataResponse.Pagination(size, page.nextCursor()),
                new Meta(RequestContextFilter.requestId(request), RequestContextFilter.elapsedMillis(request)));
        RenderedDataResponse.Body encoded;
        try {
            encoded = body.body(tailWriter);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        return Response.ok(encoded).header(HttpHeaders.CONTENT_LENGTH, encoded.length()).build();
    }

    private Page read(PageRequest wanted) {
        AssetQueries.JsonPage page = assets.pageJson(wanted.filter(), wanted.afterSymbol(), wanted.limit());
        return new Page(RenderedDataResponse.array(page.items()),
                page.lastSymbol().map(last -> Params.cursor(last, wanted.filter())).orElse(null));
    }

    /** Whether two filters list the same assets: the same symbol and source, and bounds of the same value. */
    private static boolean sameListing(AssetFilter a, AssetFilter b) {
        return a.symbol().equals(b.symbol()) && a.source().equals(b.source())
                && sameBound(a.minPrice(), b.minPrice()) && sameBound(a.maxPrice(), b.maxPrice());
    }

    private static boolean sameBound(Optional<BigDecimal> a, Optional<BigDecimal> b) {
        return a.isPresent() == b.isPresent() && (a.isEmpty() || a.get().compareTo(b.get()) == 0);
    }

    private AssetFilter filter(String symbol, String source, String minPrice, String maxPrice) {
        Optional<BigDecimal> min = Params.price("min_price", minPrice);
        Optional<BigDecimal> max = Params.price("max_price", maxPrice);
        if (min.isPresent() && max.isPresent() && min.get().compareTo(max.get()) > 0) {
            throw ApiException.badParameter("min_price", "must not be greater than max_price");
        }
        return new AssetFilter(Params.symbol("symbol", symbol), sources.parameter(source), min, max);
    }
}
