package io.assetetl.service;

import static java.util.Objects.requireNonNull;

import io.assetetl.AssetEtl;
import io.assetetl.store.DatabaseFailures;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marks abandoned, every {@link #PERIOD}, the runs a process that ended left {@code running} ({@link
 * AssetEtl#abandonDeadRuns}): without it, {@code /health}, {@code /runs} and {@code /sources} would show a killed
 * run as running until its source ran again, which with {@code ETL_INTERVAL=off} may be never. Runs in progress,
 * in this process or another, are left alone, and none is refused for it.
 */
public final class DeadRunSweeper implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(DeadRunSweeper.class);

    /** How often the run ledger is swept: a dead run shows as running for at most about this long. */
    static final Duration PERIOD = Duration.ofMinutes(1);

    private final AssetEtl etl;
    private final Duration period;
    private volatile ScheduledExecutorService executor;

    public DeadRunSweeper(AssetEtl etl) {
        this(etl, PERIOD);
    }

    DeadRunSweeper(AssetEtl etl, Duration period) {
        this.etl = requireNonNull(etl, "etl is null");
        this.period = requireNonNull(period, "period is null");
    }

    @Override
    public void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dead-run-sweeper");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::sweep, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One sweep; never throws, so that the next one comes. */
    void sweep() {
        try {
            etl.abandonDeadRuns();
        } catch (RuntimeException e) {
            LOG.warn("cannot sweep the run ledger for runs of processes that ended: {}", DatabaseFailures.describe(e));
        }
    }

    @Override
    public void stop() {
        ScheduledExecutorService running = executor;
        if (running != null) {
            running.shutdownNow();
        }
    }
}
