package io.assetetl.service.resources;

import io.assetetl.model.IdentityRules;
import io.assetetl.model.Observation;
import io.assetetl.query.AssetFilter;
import io.assetetl.service.http.ApiException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/** Parses query and path parameters; every failure is a 400 that names the parameter. */
final class Params {

    private static final IdentityRules IDENTITY = IdentityRules.defaults();
    /** A cursor of an earlier version: the last symbol of its page alone. */
    private static final String CURSOR_PREFIX = "a1:";
    /** A cursor that also carries its listing's filters. */
    private static final String LISTING_CURSOR_PREFIX = "a2:";
    private static final int MAX_TEXT = 200;
    private static final int MAX_CURSOR = 4096;
    private static final int PRICE_DIGITS = 100;

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
        if (hasControlCharacter(raw)) {
            throw ApiException.badParameter(name, "must not contain control characters");
        }
        return Optional.of(raw.strip());
    }

    /** Control characters, NUL among them (which PostgreSQL's text cannot hold), are in no symbol, source or time. */
    private static boolean hasControlCharacter(String text) {
        return text.chars().anyMatch(Character::isISOControl);
    }

    /** A symbol as a user writes it (any case, aliases such as XBT) as its canonical symbol. */
    static Optional<String> symbol(String name, String raw) {
        return text(name, raw).flatMap(IDENTITY::canonicalSymbol);
    }

    /**
     * A price bound: a non-negative decimal under 10^{@value #PRICE_DIGITS} with at most {@value #PRICE_DIGITS}
     * decimal places. The bounds keep it within what the database's {@code numeric} and the driver's encoding of it
     * hold (1e131072 passed as a bound selected every asset); no price comes near them.
     */
    static Optional<BigDecimal> price(String name, String raw) {
        return text(name, raw).map(text -> {
            try {
                BigDecimal value = new BigDecimal(text);
                if (value.signum() >= 0 && (long) value.precision() - value.scale() <= PRICE_DIGITS
                        && value.scale() <= PRICE_DIGITS) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // falls through to the one message
            }
            throw ApiException.badParameter(name, "must be a non-negative decimal number under 1e" + PRICE_DIGITS
                    + " with at most " + PRICE_DIGITS + " decimal places");
        });
    }

    /** A time from the years 1 to 9999, the range a stored quote's time has. */
    static Optional<Instant> instant(String name, String raw) {
        return text(name, raw).map(text -> {
            try {
                Instant value = OffsetDateTime.parse(text).toInstant();
                if (Observation.inStoredYears(value)) {
                    return value;
                }
            } catch (DateTimeParseException e) {
                // falls through to the one message
            }
            throw ApiException.badParameter(name, "must be an ISO-8601 timestamp with offset from the years 1 to"
                    + " 9999, such as 2024-01-31T00:00:00Z");
        });
    }

    /**
     * A bound of a range of stored times, which have microseconds: one that falls between two microseconds is the
     * later, which selects the same times as an inclusive start and as an exclusive end. Rounded off by PostgreSQL
     * instead, it let a start take in the microsecond before it and an end leave out the one before it.
     */
    static Instant storedPrecision(Instant bound) {
        Instant micros = bound.truncatedTo(ChronoUnit.MICROS);
        return micros.equals(bound) ? bound : micros.plus(1, ChronoUnit.MICROS);
    }

    /** A UUID in its canonical form (8-4-4-4-12 hex digits): {@link UUID#fromString} also takes 1-1-1-1-1. */
    static UUID uuid(String name, String raw) {
        String text = raw == null ? "" : raw.strip();
        try {
            UUID value = UUID.fromString(text);
            if (value.toString().equalsIgnoreCase(text)) {
                return value;
            }
        } catch (IllegalArgumentException e) {
            // falls through to the one message
        }
        throw ApiException.badParameter(name, "must be a UUID");
    }

    /**
     * Where a listing goes on: after {@code afterSymbol}, and with the filters of the listing that returned the cursor
     * as their parameters' text, absent ones null (no filters at all for a cursor of an earlier version, which
     * carried none).
     */
    record Cursor(String afterSymbol, Optional<Listing> listing) {
    }

    /** A listing's filters as their query parameters' text; null where a filter is absent. */
    record Listing(String symbol, String source, String minPrice, String maxPrice) {
    }

    /** The cursor of the page after {@code lastSymbol} in the listing of {@code filter}. */
    static String cursor(String lastSymbol, AssetFilter filter) {
        // the filters' parts hold no control character (refused in parameters), so a line break ends each; the last
        // symbol comes last, as one stored before the engine refused control characters can hold a line break
        String text = LISTING_CURSOR_PREFIX + filter.symbol().orElse("") + "\n" + filter.source().orElse("") + "\n"
                + filter.minPrice().map(BigDecimal::toString).orElse("") + "\n"
                + filter.maxPrice().map(BigDecimal::toString).orElse("") + "\n" + lastSymbol;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** What a cursor continues: the symbol after which, and the filters of its listing. */
    static Optional<Cursor> readCursor(String raw) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        // the longest symbols (64 characters of up to 4 bytes each), source name and price bounds make a cursor of
        // about 2,000 characters
        if (raw.length() > MAX_CURSOR || hasControlCharacter(raw)) {
            throw notACursor();
        }
        String decoded;
        try {
            decoded = new String(Base64.getUrlDecoder().decode(raw.strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw notACursor();
        }
        if (decoded.startsWith(CURSOR_PREFIX)) {
            return Optional.of(new Cursor(lastSymbol(decoded.substring(CURSOR_PREFIX.length())), Optional.empty()));
        }
        if (decoded.startsWith(LISTING_CURSOR_PREFIX)) {
            String[] parts = decoded.substring(LISTING_CURSOR_PREFIX.length()).split("\n", 5);
            if (parts.length == 5) {
                Listing listing = new Listing(orNull(parts[0]), orNull(parts[1]), orNull(parts[2]),
                        orNull(parts[3]));
                return Optional.of(new Cursor(lastSymbol(parts[4]), Optional.of(listing)));
            }
        }
        throw notACursor();
    }

    /**
     * The last symbol of a page this API sent: a canonical symbol, trimmed and upper-case (a cursor edited to a
     * lower-case one would silently end a client's walk with an empty page); a control character other than NUL
     * (which PostgreSQL's text cannot hold) is in symbols stored before the engine rejected them, and their pages go
     * on.
     */
    private static String lastSymbol(String symbol) {
        if (!symbol.isEmpty() && symbol.indexOf('\0') < 0 && symbol.equals(symbol.strip().toUpperCase(Locale.ROOT))) {
            return symbol;
        }
        throw notACursor();
    }

    private static String orNull(String part) {
        return part.isEmpty() ? null : part;
    }

    private static ApiException notACursor() {
        return ApiException.badParameter("cursor", "is not a cursor this API returned");
    }
}
