package io.assetetl.query;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One row of {@code schema_drift_events}.
 *
 * @param expected   the canonical field, or {@code null}
 * @param actual     what the source had instead, or {@code null}
 * @param confidence 0..1
 */
public record DriftEventRecord(String source, String kind, String expected, String actual, BigDecimal confidence,
        String action, Instant createdAt) {
}
