package io.assetetl.service.health;

import com.codahale.metrics.health.HealthCheck;
import io.assetetl.service.EtlScheduler;

/** For the admin port's {@code /healthcheck}: unhealthy when the scheduler's loop has died. */
public final class SchedulerHealthCheck extends HealthCheck {

    private final EtlScheduler scheduler;

    public SchedulerHealthCheck(EtlScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    protected Result check() {
        return switch (scheduler.state()) {
            case OFF -> Result.healthy("scheduled runs are off");
            case RUNNING -> Result.healthy("every " + scheduler.interval());
            case STOPPED -> Result.unhealthy("the scheduler is not running");
        };
    }
}
