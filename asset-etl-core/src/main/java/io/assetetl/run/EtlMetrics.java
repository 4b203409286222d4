package io.assetetl.run;

import java.time.Duration;
import java.util.Map;

/**
 * Where the engine and the sources report what they do. The service binds this to Prometheus; the default does
 * nothing. Label values must never contain secrets. Implementations are called from several threads.
 */
public interface EtlMetrics {

    /** Does nothing. */
    EtlMetrics NOOP = new EtlMetrics() {
        @Override
        public void count(String name, Map<String, String> labels, long amount) {
        }

        @Override
        public void time(String name, Map<String, String> labels, Duration duration) {
        }
    };

    /** {@code metrics}, whose failures are logged instead of thrown into the run that reports to it. */
    static EtlMetrics failSafe(EtlMetrics metrics) {
        return metrics == NOOP || metrics instanceof FailSafeMetrics ? metrics : new FailSafeMetrics(metrics);
    }

    /**
     * Adds {@code amount} to a counter: {@code etl_runs} (source, status), {@code etl_records} (source, outcome),
     * {@code upstream_http_requests} (source, status), {@code upstream_retries} (source),
     * {@code rate_limiter_waits} (source).
     */
    void count(String name, Map<String, String> labels, long amount);

    /** Records a duration: {@code etl_run_duration} (source), {@code rate_limiter_wait} (source). */
    void time(String name, Map<String, String> labels, Duration duration);
}
