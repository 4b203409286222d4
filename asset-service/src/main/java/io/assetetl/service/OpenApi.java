package io.assetetl.service;

import io.assetetl.service.resources.AssetResource;
import io.assetetl.service.resources.DataResource;
import io.assetetl.service.resources.HealthResource;
import io.assetetl.service.resources.RunResource;
import io.assetetl.service.resources.SourceResource;
import io.assetetl.service.resources.StatsResource;
import io.swagger.v3.jaxrs2.integration.resources.OpenApiResource;
import io.swagger.v3.oas.integration.SwaggerConfiguration;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityScheme;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** {@code GET /openapi.json}: the OpenAPI 3 description, generated from the resources' annotations. */
final class OpenApi {

    /** The paths served outside the annotated resources, and without the database. */
    static final String METRICS_PATH = "/metrics";
    static final String DESCRIPTION_PATH = "/openapi.json";

    private OpenApi() {
    }

    private static PathItem textEndpoint(String tag, String summary, String mediaType) {
        return new PathItem().get(new Operation().addTagsItem(tag).summary(summary)
                .responses(new ApiResponses().addApiResponse("200", new ApiResponse().description("OK")
                        .content(new Content().addMediaType(mediaType, new MediaType())))));
    }

    /**
     * Swagger's resource, sending the description with its {@code Content-Length}. Without it the description, larger
     * than Jersey's buffer, went out chunked, and a {@code HEAD} request (answered by running the {@code GET} and
     * dropping the body) announced a length of 0. The method keeps its JAX-RS annotations by inheritance; the path
     * does not inherit, so it is repeated.
     */
    @Path("/openapi.{type:json|yaml}")
    public static final class Description extends OpenApiResource {

        @Override
        public Response getOpenApi(HttpHeaders headers, UriInfo uriInfo, String type) throws Exception {
            Response response = super.getOpenApi(headers, uriInfo, type);
            if (response.getEntity() instanceof String text) {
                // written as UTF-8, Jersey's charset for a media type that names none
                return Response.fromResponse(response)
                        .header(HttpHeaders.CONTENT_LENGTH, text.getBytes(StandardCharsets.UTF_8).length).build();
            }
            return response;
        }
    }

    static OpenApiResource resource() {
        OpenAPI api = new OpenAPI()
                .info(new Info().title("asset-etl").version("1")
                        .description("Canonical crypto-asset data loaded from CSV files and the CoinGecko API, "
                                + "with run history, data quality and operations endpoints. Errors are "
                                + "{\"code\":N,\"message\":\"...\"}."))
                .components(new Components().addSecuritySchemes("bearer",
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .description("ADMIN_TOKEN")))
                // served outside the annotated resources
                .path(METRICS_PATH, textEndpoint("operations", "Prometheus text: ETL runs, records, durations, "
                        + "upstream calls, retries, rate-limiter waits, request latency and the Dropwizard registry",
                        "text/plain"))
                .path(DESCRIPTION_PATH, textEndpoint("operations", "This description", "application/json"));
        Set<String> resources = Stream.of(HealthResource.class, DataResource.class, AssetResource.class,
                        RunResource.class, StatsResource.class, SourceResource.class)
                .map(Class::getName).collect(Collectors.toSet());
        SwaggerConfiguration configuration = new SwaggerConfiguration()
                .openAPI(api)
                .prettyPrint(true)
                .readAllResources(false)
                .resourceClasses(resources)
                .filterClass(DatabaseUnavailableResponses.class.getName())
                .id("asset-service");
        OpenApiResource resource = new Description();
        resource.setOpenApiConfiguration(configuration);
        return resource;
    }
}
