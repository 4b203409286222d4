package io.assetetl.service.resources;

import io.assetetl.model.IdentityRules;
import io.assetetl.service.http.ApiException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/** Parses query and path parameters; every failure is a 400 that names the parameter. */
final class Params {

    private static final IdentityRules IDENTITY = IdentityRules.defaults();
    private static final String CURSOR_PREFIX = "a1:";
    private static final int MAX_TEXT = 200;

    private Params() {
    }

    static int limit(String raw, int defaultValue, int max) {
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw.strip());
            if (value >= 1 && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // falls through to the one message
        }
        throw ApiException.badParameter("limit", "must be an integer from 1 to " + max);
    }

    static Optional<String> text(String name, String raw) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        if (raw.length() > MAX_TEXT) {
            throw ApiException.badParameter(name, "must be at most " + MAX_TEXT + " characters");
        }
        return Optional.of(raw.strip());
    }

    /** A symbol as a user writes it (any case, aliases such as XBT) as its canonical symbol. */
    static Optional<String> symbol(String name, String raw) {
        return text(name, raw).flatMap(IDENTITY::canonicalSymbol);
    }

    static Optional<BigDecimal> price(String name, String raw) {
        return text(name, raw).map(text -> {
            try {
                BigDecimal value = new BigDecimal(text);
                if (value.signum() >= 0) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // falls through to the one message
            }
            throw ApiException.badParameter(name, "must be a non-negative decimal number");
        });
    }

    static Optional<Instant> instant(String name, String raw) {
        return text(name, raw).map(text -> {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                throw ApiException.badParameter(name, "must be an ISO-8601 timestamp with offset, such as "
                        + "2024-01-31T00:00:00Z");
            }
        });
    }

    static UUID uuid(String name, String raw) {
        try {
            return UUID.fromString(raw == null ? "" : raw.strip());
        } catch (IllegalArgumentException e) {
            throw ApiException.badParameter(name, "must be a UUID");
        }
    }

    static String cursor(String lastSymbol) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((CURSOR_PREFIX + lastSymbol).getBytes(StandardCharsets.UTF_8));
    }

    /** The symbol a cursor continues after. */
    static Optional<String> afterCursor(String raw) {
        return text("cursor", raw).map(text -> {
            try {
                String decoded = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
                if (decoded.startsWith(CURSOR_PREFIX) && decoded.length() > CURSOR_PREFIX.length()) {
                    return decoded.substring(CURSOR_PREFIX.length());
                }
            } catch (IllegalArgumentException e) {
                // falls through to the one message
            }
            throw ApiException.badParameter("cursor", "is not a cursor this API returned");
        });
    }
}
