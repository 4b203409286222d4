package io.assetetl.service.metrics;

import static java.util.Objects.requireNonNull;

import io.assetetl.run.EtlMetrics;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The library's metrics as Prometheus counters and histograms. The names the engine and built-in sources use are
 * registered up front with their help text; a name a plugged-in source invents is registered on first use with the
 * label names it came with. A call that does not fit its family (a bad name, other label names) is dropped with a
 * warning rather than failing a run.
 */
public final class PrometheusEtlMetrics implements EtlMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(PrometheusEtlMetrics.class);
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private record CounterFamily(Counter counter, List<String> labelNames) {
    }

    private record TimerFamily(Histogram histogram, List<String> labelNames) {
    }

    private final PrometheusRegistry registry;
    private final ConcurrentMap<String, CounterFamily> counters = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, TimerFamily> timers = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Boolean> warned = new ConcurrentHashMap<>();

    public PrometheusEtlMetrics(PrometheusRegistry registry) {
        this.registry = requireNonNull(registry, "registry is null");
        counter("etl_runs", "ETL runs finished, by source and final status (abandoned: by the process that marked"
                + " them so)", List.of("source", "status"));
        counter("etl_records", "Records handled by ETL runs, by source and outcome (loaded, unchanged, rejected)",
                List.of("source", "outcome"));
        counter("upstream_http_requests", "HTTP calls to upstream APIs, by source and response status",
                List.of("source", "status"));
        counter("upstream_retries", "Retried upstream calls, by source", List.of("source"));
        counter("rate_limiter_waits", "Upstream calls that waited for the client-side rate limiter",
                List.of("source"));
        timer("etl_run_duration", "Duration of ETL runs", List.of("source"));
        timer("rate_limiter_wait", "Time spent waiting for the client-side rate limiter", List.of("source"));
    }

    /**
     * Starts a configured source's series at zero, so that a scrape shows them before its first run (and a rate
     * over them has a start): its runs by final status, its records by outcome, its run durations and, for a source
     * that calls an upstream API, its retries, rate-limiter waits and successful calls.
     */
    public void knownSource(String source, boolean callsUpstream) {
        for (String status : List.of("succeeded", "failed", "abandoned")) {
            counters.get("etl_runs").counter().initLabelValues(source, status);
        }
        for (String outcome : List.of("loaded", "unchanged", "rejected")) {
            // label values in the family's order: outcome, source
            counters.get("etl_records").counter().initLabelValues(outcome, source);
        }
        timers.get("etl_run_duration").histogram().initLabelValues(source);
        if (callsUpstream) {
            counters.get("upstream_http_requests").counter().initLabelValues(source, "200");
            counters.get("upstream_retries").counter().initLabelValues(source);
            counters.get("rate_limiter_waits").counter().initLabelValues(source);
            timers.get("rate_limiter_wait").histogram().initLabelValues(source);
        }
    }

    @Override
    public void count(String name, Map<String, String> labels, long amount) {
        if (amount < 0 || !NAME.matcher(name).matches()) {
            warnOnce(name, "invalid counter name or negative amount");
            return;
        }
        CounterFamily family = counters.computeIfAbsent(name,
                n -> newCounter(n, "Counted by an ETL source: " + n, sortedKeys(labels)));
        if (!family.labelNames().equals(sortedKeys(labels))) {
            warnOnce(name, "labels " + labels.keySet() + " do not match " + family.labelNames());
            return;
        }
        family.counter().labelValues(values(family.labelNames(), labels)).inc(amount);
    }

    @Override
    public void time(String name, Map<String, String> labels, Duration duration) {
        if (!NAME.matcher(name).matches()) {
            warnOnce(name, "invalid timer name");
            return;
        }
        TimerFamily family = timers.computeIfAbsent(name,
                n -> newTimer(n, "Timed by an ETL source: " + n, sortedKeys(labels)));
        if (!family.labelNames().equals(sortedKeys(labels))) {
            warnOnce(name, "labels " + labels.keySet() + " do not match " + family.labelNames());
            return;
        }
        family.histogram().labelValues(values(family.labelNames(), labels)).observe(duration.toNanos() / 1e9);
    }

    private void counter(String name, String help, List<String> labelNames) {
        counters.put(name, newCounter(name, help, labelNames.stream().sorted().toList()));
    }

    private void timer(String name, String help, List<String> labelNames) {
        timers.put(name, newTimer(name, help, labelNames.stream().sorted().toList()));
    }

    private CounterFamily newCounter(String name, String help, List<String> labelNames) {
        Counter counter = Counter.builder().name(name).help(help).labelNames(labelNames.toArray(String[]::new))
                .register(registry);
        return new CounterFamily(counter, labelNames);
    }

    private TimerFamily newTimer(String name, String help, List<String> labelNames) {
        Histogram histogram = Histogram.builder().name(name + "_seconds").unit(Unit.SECONDS).help(help)
                .classicUpperBounds(0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800)
                .labelNames(labelNames.toArray(String[]::new))
                .register(registry);
        return new TimerFamily(histogram, labelNames);
    }

    private static List<String> sortedKeys(Map<String, String> labels) {
        return labels.keySet().stream().sorted().toList();
    }

    private static String[] values(List<String> labelNames, Map<String, String> labels) {
        return labelNames.stream().map(k -> String.valueOf(labels.get(k))).toArray(String[]::new);
    }

    private void warnOnce(String name, String problem) {
        if (warned.putIfAbsent(name, Boolean.TRUE) == null) {
            LOG.warn("metric {} dropped: {}", name, problem);
        }
    }
}
