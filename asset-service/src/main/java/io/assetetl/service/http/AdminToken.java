package io.assetetl.service.http;

import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The bearer token that guards mutating endpoints. Tokens are compared as SHA-256 digests with
 * {@link MessageDigest#isEqual}, so the time taken says nothing about how much of a guess was right, nor about the
 * token's length.
 */
public final class AdminToken {

    private static final String BEARER = "Bearer ";

    private final Optional<byte[]> expected;

    public AdminToken(Optional<String> token) {
        this.expected = token.filter(t -> !t.isBlank()).map(AdminToken::digest);
    }

    /**
     * Passes when {@code authorization} carries the configured token.
     *
     * @throws ApiException 403 when no token is configured, 401 when the header is missing or wrong
     */
    public void check(String authorization) {
        if (expected.isEmpty()) {
            throw new ApiException(Response.Status.FORBIDDEN,
                    "this endpoint is disabled: no ADMIN_TOKEN is configured");
        }
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new ApiException(Response.Status.UNAUTHORIZED, "missing bearer token");
        }
        byte[] given = digest(authorization.substring(BEARER.length()).strip());
        if (!MessageDigest.isEqual(given, expected.get())) {
            throw new ApiException(Response.Status.UNAUTHORIZED, "invalid bearer token");
        }
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
