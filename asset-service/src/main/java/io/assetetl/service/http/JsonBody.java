package io.assetetl.service.http;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource method that reads a JSON body; {@link JsonBodyFilter} refuses other content types with 415. Used
 * instead of {@code @Consumes}, which JAX-RS applies while matching the request, before any filter bound to the
 * method (such as {@link AdminTokenFilter}) has run.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface JsonBody {
}
