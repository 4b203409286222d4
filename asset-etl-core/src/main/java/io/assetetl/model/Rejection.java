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

    public Rejection {
        requireNonNull(reason, "reason is null");
        requireNonNull(detail, "detail is null");
        requireNonNull(raw, "raw is null");
        if (!reason.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("reason must be a snake_case code: " + reason);
        }
    }

    public static Rejection of(String reason, String detail, RawRecord raw) {
        return new Rejection(reason, detail, raw);
    }
}
