package io.assetetl.sources.coingecko;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import feign.Response;
import feign.codec.ErrorDecoder;
import io.assetetl.spi.SourceException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a non-2xx answer into an exception: 429 and 5xx become a {@link CallFailure} (retried, carrying the
 * {@code Retry-After} wait), every other status a plain {@link SourceException} that fails the run at once. The
 * message names the status and CoinGecko's own error message, with the API key masked should the body echo it; a
 * redirect's names where it points, as it is not followed.
 */
final class UpstreamErrorDecoder implements ErrorDecoder {

    private static final int BODY_LIMIT = 64 * 1024;

    private final ObjectMapper mapper;
    private final Clock clock;
    private final String apiKey;

    UpstreamErrorDecoder(ObjectMapper mapper, Clock clock, String apiKey) {
        this.mapper = mapper;
        this.clock = clock;
        this.apiKey = apiKey;
    }

    @Override
    public Exception decode(String methodKey, Response response) {
        int status = response.status();
        if (status >= 300 && status < 400) {
            String location = header(response.headers(), "Location");
            return new SourceException("CoinGecko answered " + status + describe(status) + " to "
                    + endpoint(response) + (location == null ? "" : ", redirecting to " + mask(location))
                    + ": redirects are not followed (each call must take a permit of the rate limit); set base_url"
                    + " to where it points");
        }
        String message = "CoinGecko answered " + status + describe(status) + " to " + endpoint(response)
                + errorMessage(response);
        if (status == 429 || status >= 500) {
            return new CallFailure(message, retryAfter(response.headers(), clock.instant()));
        }
        if (status == 401 || status == 403) {
            message += " (check the API key setting COINGECKO_API_KEY and that base_url matches its plan)";
        }
        return new SourceException(message);
    }

    /**
     * The longest wait a {@code Retry-After} is taken for: a day. A longer one (a misconfigured upstream's
     * {@code 999999999999} seconds, or a date in the year 9999) failed the run with an arithmetic overflow, or held
     * every later run of the source off for years.
     */
    static final Duration LONGEST_RETRY_AFTER = Duration.ofDays(1);

    /**
     * The wait a {@code Retry-After} header asks for, in delta-seconds or HTTP-date form, at most
     * {@link #LONGEST_RETRY_AFTER}; {@code null} when there is none or it cannot be read. A date in the past means
     * no wait.
     */
    static Duration retryAfter(Map<String, Collection<String>> headers, Instant now) {
        String value = header(headers, "Retry-After");
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.chars().allMatch(Character::isDigit)) {
            // more digits than a day's seconds have is more than a day, however many
            String seconds = value.replaceFirst("^0+(?=\\d)", "");
            return seconds.length() > 6 ? LONGEST_RETRY_AFTER
                    : atMostADay(Duration.ofSeconds(Long.parseLong(seconds)));
        }
        Instant at = httpDate(value, now);
        if (at == null) {
            return null;
        }
        Duration wait = Duration.between(now, at);
        return wait.isNegative() ? Duration.ZERO : atMostADay(wait);
    }

    /** An obsolete HTTP-date, RFC 850's: {@code Sunday, 06-Nov-94 08:49:37 GMT}. */
    private static final Pattern RFC_850 = Pattern.compile("[A-Za-z]+, (\\d{2}-[A-Za-z]{3}-\\d{2} [0-9:]{8} GMT)");
    /** An obsolete HTTP-date, C's {@code asctime()}: {@code Sun Nov  6 08:49:37 1994}. */
    private static final Pattern ASCTIME = Pattern.compile("[A-Za-z]{3} ([A-Za-z]{3} [ \\d]\\d [0-9:]{8} \\d{4})");
    private static final DateTimeFormatter ASCTIME_FORMAT = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss uuuu",
            Locale.US).withZone(ZoneOffset.UTC);

    /**
     * An HTTP-date in any of the three forms every recipient must read (RFC 9110, section 5.6.7): the preferred
     * IMF-fixdate and the obsolete RFC 850 and asctime forms. The obsolete forms' day names are not checked against
     * their dates, and RFC 850's two-digit year is the one no more than 50 years after {@code now}'s. {@code null}
     * when {@code value} is none of them.
     */
    private static Instant httpDate(String value, Instant now) {
        try {
            Matcher rfc850 = RFC_850.matcher(value);
            if (rfc850.matches()) {
                int base = now.atZone(ZoneOffset.UTC).getYear() - 49;
                DateTimeFormatter format = new DateTimeFormatterBuilder().parseCaseInsensitive()
                        .appendPattern("dd-MMM-").appendValueReduced(ChronoField.YEAR, 2, 2, base)
                        .appendPattern(" HH:mm:ss 'GMT'").toFormatter(Locale.US).withZone(ZoneOffset.UTC);
                return ZonedDateTime.parse(rfc850.group(1), format).toInstant();
            }
            Matcher asctime = ASCTIME.matcher(value);
            if (asctime.matches()) {
                return ZonedDateTime.parse(asctime.group(1), ASCTIME_FORMAT).toInstant();
            }
            return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException unreadable) {
            return null;
        }
    }

    private static Duration atMostADay(Duration wait) {
        return wait.compareTo(LONGEST_RETRY_AFTER) > 0 ? LONGEST_RETRY_AFTER : wait;
    }

    /** A header's first value, trimmed, by case-insensitive name; {@code null} when there is none. */
    private static String header(Map<String, Collection<String>> headers, String name) {
        return headers.entrySet().stream()
                .filter(e -> e.getKey() != null && e.getKey().equalsIgnoreCase(name))
                .flatMap(e -> e.getValue().stream()).findFirst().map(String::trim).orElse(null);
    }

    private static String endpoint(Response response) {
        String url = response.request() == null ? "" : response.request().url();
        int query = url.indexOf('?');
        String path = query < 0 ? url : url.substring(0, query);
        int coins = path.indexOf("/coins/");
        int ping = path.lastIndexOf("/ping");
        return coins >= 0 ? path.substring(coins) : ping >= 0 ? path.substring(ping) : path;
    }

    private static String describe(int status) {
        return switch (status) {
            case 301 -> " Moved Permanently";
            case 302 -> " Found";
            case 303 -> " See Other";
            case 307 -> " Temporary Redirect";
            case 308 -> " Permanent Redirect";
            case 400 -> " Bad Request";
            case 401 -> " Unauthorized";
            case 403 -> " Forbidden";
            case 404 -> " Not Found";
            case 429 -> " Too Many Requests";
            case 500 -> " Internal Server Error";
            case 502 -> " Bad Gateway";
            case 503 -> " Service Unavailable";
            case 504 -> " Gateway Timeout";
            default -> "";
        };
    }

    /** CoinGecko's {@code status.error_message} (or {@code error}), else a hint of what the body was. */
    private String errorMessage(Response response) {
        String body = body(response);
        if (body.isBlank()) {
            return "";
        }
        String text;
        try {
            JsonNode json = mapper.readTree(body);
            JsonNode found = json.path("status").path("error_message");
            if (found.isMissingNode()) {
                found = json.path("error");
            }
            text = found.isTextual() ? found.asText().trim() : "a JSON body without an error message";
        } catch (IOException notJson) {
            text = body.stripLeading().startsWith("<") ? "an HTML page" : oneLine(body);
        }
        return ": " + mask(text);
    }

    private static String body(Response response) {
        if (response.body() == null) {
            return "";
        }
        try (InputStream in = response.body().asInputStream()) {
            return new String(in.readNBytes(BODY_LIMIT), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String oneLine(String text) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    private String mask(String text) {
        return apiKey == null || apiKey.isEmpty() ? text : text.replace(apiKey, "***");
    }
}
