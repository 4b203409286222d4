package io.assetetl.model;

import static java.util.Objects.requireNonNull;

/**
 * A difference between the input's shape and what the source expected, stored in {@code schema_drift_events}, each
 * NUL of its texts as U+FFFD (PostgreSQL's text cannot hold one; a header read from a file may).
 *
 * @param kind       what happened: {@code header_alias}, {@code header_fuzzy}, {@code field_missing},
 *                   {@code field_added}, {@code header_unmapped}…
 * @param expected   the canonical field or expected name, or {@code null}
 * @param actual     what the input had, or {@code null}
 * @param confidence how sure the mapping is, 0..1 (1 for a certain fact such as a missing field)
 * @param action     what the source did about it: {@code mapped}, {@code ignored}, {@code failed}
 */
public record DriftEvent(String kind, String expected, String actual, double confidence, String action) {

    public DriftEvent {
        requireNonNull(kind, "kind is null");
        requireNonNull(action, "action is null");
        if (!(confidence >= 0.0 && confidence <= 1.0)) {
            throw new IllegalArgumentException("confidence must be within 0..1: " + confidence);
        }
    }
}
