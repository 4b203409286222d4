package io.assetetl.service.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Whatever goes wrong inside a resource, the client sees {@code {"code","message"}} and no internals. */
@ExtendWith(DropwizardExtensionsSupport.class)
class ErrorMappingTest {

    /** A resource that fails the ways real ones can. */
    @Path("/fail")
    @Produces(MediaType.APPLICATION_JSON)
    public static final class FailingResource {

        @GET
        @Path("/bug")
        public String bug() {
            throw new IllegalStateException("SELECT password FROM users WHERE token = 's3cret'");
        }

        @GET
        @Path("/error")
        public String error() {
            throw new OutOfMemoryError("java.lang.OutOfMemoryError at io.assetetl.Secret");
        }

        @POST
        @Path("/echo")
        @Consumes(MediaType.APPLICATION_JSON)
        public Map<String, Object> echo(Map<String, Object> body) {
            return body;
        }
    }

    static final ResourceExtension RESOURCES = ResourceExtension.builder()
            .setRegisterDefaultExceptionMappers(false)
            .addResource(new FailingResource())
            .addProvider(new ApiExceptionMapper())
            .addProvider(new WebApplicationExceptionMapper())
            .addProvider(new JsonProcessingExceptionMapper())
            .addProvider(new UnexpectedExceptionMapper())
            .build();

    @Test
    void unexpectedExceptionsAre500WithAReferenceOnly() {
        for (String path : new String[] {"/fail/bug", "/fail/error"}) {
            Response response = RESOURCES.target(path).request().get();

            assertThat(response.getStatus()).isEqualTo(500);
            String body = response.readEntity(String.class);
            assertThat(body).startsWith("{\"code\":500,\"message\":\"internal error; reference ")
                    .doesNotContain("SELECT", "s3cret", "Exception", "Error", "io.assetetl");
        }
    }

    @Test
    void malformedJsonIs400WithoutParserDetails() {
        Response response = RESOURCES.target("/fail/echo").request()
                .post(Entity.entity("{\"a\": tru", MediaType.APPLICATION_JSON));

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.readEntity(String.class))
                .isEqualTo("{\"code\":400,\"message\":\"request body is not valid JSON for this endpoint\"}");
    }

    @Test
    void frameworkErrorsKeepTheirStatusAndHeaders() {
        Response notFound = RESOURCES.target("/nothing/here").request().get();
        Response notAllowed = RESOURCES.target("/fail/bug").request().delete();

        assertThat(notFound.getStatus()).isEqualTo(404);
        assertThat(notFound.readEntity(String.class)).isEqualTo("{\"code\":404,\"message\":\"not found\"}");
        assertThat(notAllowed.getStatus()).isEqualTo(405);
        assertThat(notAllowed.getHeaderString("Allow")).contains("GET");
        assertThat(notAllowed.readEntity(String.class)).contains("\"code\":405");
    }

    @Test
    void aMethodNotAllowedNamesHeadWhereTheRouteAnswersGet() {
        // Jersey answers HEAD wherever a resource answers GET, and OPTIONS names it, but its 405 did not
        Response getOnly = RESOURCES.target("/fail/bug").request().delete();
        Response postOnly = RESOURCES.target("/fail/echo").request().delete();

        assertThat(getOnly.getStatus()).isEqualTo(405);
        assertThat(getOnly.getHeaderString("Allow")).isEqualTo("GET, HEAD, OPTIONS");
        assertThat(postOnly.getHeaderString("Allow")).isEqualTo("OPTIONS, POST");
    }
}
