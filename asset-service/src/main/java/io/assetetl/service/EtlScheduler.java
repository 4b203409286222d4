package io.assetetl.service;

import static java.util.Objects.requireNonNull;

import io.assetetl.AssetEtl;
import io.assetetl.run.RunRefusedException;
import io.assetetl.run.RunRequest;
import io.assetetl.run.RunResult;
import io.assetetl.run.SourceDefinition;
import io.assetetl.store.DatabaseFailures;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs every enabled source once when the service starts and then every {@code ETL_INTERVAL}, each source on its
 * own schedule and thread, so that a slow source (an upstream API retrying) never delays another. A source that
 * is already running (in another replica, or started over HTTP) is skipped until its next turn: the library's
 * per-source lock refuses the second run.
 */
public final class EtlScheduler implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(EtlScheduler.class);
    /** How long {@link #stop} waits for an interrupted run to record its failure. */
    static final int STOP_WAIT_SECONDS = 10;

    /** What the scheduler is doing. */
    public enum State { OFF, RUNNING, STOPPED }

    private final AssetEtl etl;
    private final Optional<Duration> interval;
    private volatile ScheduledExecutorService executor;

    public EtlScheduler(AssetEtl etl, EtlInterval interval) {
        this.etl = requireNonNull(etl, "etl is null");
        this.interval = interval.every();
    }

    @Override
    public void start() {
        if (interval.isEmpty()) {
            LOG.info("scheduled runs are off (ETL_INTERVAL=off)");
            return;
        }
        List<SourceDefinition> enabled = etl.sources().stream().filter(SourceDefinition::enabled).toList();
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newScheduledThreadPool(Math.max(1, enabled.size()), r -> {
            Thread t = new Thread(r, "etl-scheduler-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        for (SourceDefinition source : enabled) {
            executor.scheduleWithFixedDelay(() -> runOnce(source.name()), 0, interval.get().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        LOG.info("scheduled runs every {} for sources {}", interval.get(),
                enabled.stream().map(SourceDefinition::name).toList());
    }

    /** Runs each enabled source once, one after the other. */
    void runAll() {
        etl.sources().stream().filter(SourceDefinition::enabled).forEach(s -> runOnce(s.name()));
    }

    /** Runs one source once; never throws, so that its schedule goes on. */
    void runOnce(String source) {
        MDC.put("source", source);
        try {
            RunResult result = etl.run(RunRequest.of(source));
            MDC.put("run_id", result.runId().toString());
            LOG.info("scheduled run of {} {}: processed={} loaded={} unchanged={} rejected={} in {} ms",
                    source, result.status().code(), result.processed(), result.loaded(), result.unchanged(),
                    result.rejected(), result.durationMs());
        } catch (RunRefusedException e) {
            LOG.info("scheduled run of {} skipped: a run of it is already in progress", source);
        } catch (RuntimeException e) {
            LOG.error("scheduled run of {} could not start: {}", source, DatabaseFailures.describe(e));
        } finally {
            MDC.remove("run_id");
            MDC.remove("source");
        }
    }

    /**
     * Stops the schedule and interrupts a run in progress rather than waiting for it (a shutdown's grace period is
     * short, and a CoinGecko run may wait minutes for its rate limiter and retries): the run fails at its next wait,
     * its committed chunks stay, and the next run resumes from its checkpoint. Waits up to
     * {@value #STOP_WAIT_SECONDS} s for the run to record its failure.
     */
    @Override
    public void stop() throws InterruptedException {
        ScheduledExecutorService running = executor;
        if (running == null) {
            return;
        }
        running.shutdownNow();
        if (!running.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
            LOG.warn("a scheduled run did not end within {} s of being interrupted; the next start marks it"
                    + " abandoned and resumes it", STOP_WAIT_SECONDS);
        }
    }

    public State state() {
        ScheduledExecutorService running = executor;
        if (interval.isEmpty()) {
            return State.OFF;
        }
        return running != null && !running.isShutdown() ? State.RUNNING : State.STOPPED;
    }

    public String interval() {
        return interval.map(Duration::toString).orElse("off");
    }
}
