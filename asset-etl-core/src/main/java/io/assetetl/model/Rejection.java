package io.assetetl.model;

import static java.util.Objects.requireNonNull;

/**
 * A record that cannot become canonical data. Bad input is a value, never an exception: a rejection is stored in
 * {@code etl_rejects} with its reason and the raw record, and the run goes on.
 *
 * @param reason a stable, machine-readable code; see {@link RejectReason} for the built-in ones
 * @param detail a human-readable explanation (never containing secrets)
 * @param raw    the input record that was rejected
 */
public record Rejection(String reason, String detail, RawRecord raw) implements Interpretation {

    /**
     * The longest reason code, in characters: far beyond any (the built-in ones have fewer than 20), as codes are
     * indexed with their run in {@code etl_rejects}, whose entries PostgreSQL limits to about 2,700 bytes (a longer
     * code failed its chunk, run after run).
     */
    public static final int MAX_REASON_LENGTH = 64;

    /**
     * @throws IllegalArgumentException when {@code reason} is not a snake_case code of at most
     *                                  {@value #MAX_REASON_LENGTH} characters: an adapter's bug, which fails the run
     */
    public Rejection {
        requireNonNull(reason, "reason is null");
        requireNonNull(detail, "detail is null");
        requireNonNull(raw, "raw is null");
        if (!isSnakeCase(reason)) {
            throw new IllegalArgumentException("reason must be a snake_case code: " + abbreviate(reason));
        }
        if (reason.length() > MAX_REASON_LENGTH) {
            throw new IllegalArgumentException("reason must be a snake_case code of at most " + MAX_REASON_LENGTH
                    + " characters; this one has " + reason.length() + ": '" + abbreviate(reason) + "'");
        }
    }

    /**
     * Whether {@code code} is a lower-case letter, then lower-case letters, digits or '_'. A loop rather than a
     * regular expression: a file's every bad row makes a rejection.
     */
    private static boolean isSnakeCase(String code) {
        if (code.isEmpty() || code.charAt(0) < 'a' || code.charAt(0) > 'z') {
            return false;
        }
        for (int i = 1; i < code.length(); i++) {
            char c = code.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }

    public static Rejection of(String reason, String detail, RawRecord raw) {
        return new Rejection(reason, detail, raw);
    }
}
