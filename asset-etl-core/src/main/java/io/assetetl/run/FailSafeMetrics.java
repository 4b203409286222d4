package io.assetetl.run;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Metrics that never break what they measure: a failure of the wrapped {@link EtlMetrics} is logged (the first at
 * {@code WARN}, the others at {@code DEBUG}) and the run goes on. A run whose metrics threw once failed, was counted
 * twice, and left the completion of a {@linkplain io.assetetl.AssetEtl#start started} run pending for ever.
 */
final class FailSafeMetrics implements EtlMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(FailSafeMetrics.class);

    private final EtlMetrics metrics;
    private final AtomicBoolean warned = new AtomicBoolean();

    FailSafeMetrics(EtlMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void count(String name, Map<String, String> labels, long amount) {
        try {
            metrics.count(name, labels, amount);
        } catch (RuntimeException e) {
            failed(name, e);
        }
    }

    @Override
    public void time(String name, Map<String, String> labels, Duration duration) {
        try {
            metrics.time(name, labels, duration);
        } catch (RuntimeException e) {
            failed(name, e);
        }
    }

    private void failed(String name, RuntimeException e) {
        if (warned.compareAndSet(false, true)) {
            LOG.warn("metrics failed to record {} (not recorded; further failures are logged at DEBUG): {}", name,
                    e.toString(), e);
        } else {
            LOG.debug("metrics failed to record {}", name, e);
        }
    }
}
