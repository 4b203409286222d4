package io.assetetl.service.health;

import static java.util.Objects.requireNonNull;

import io.assetetl.AssetEtl;
import io.assetetl.query.RunQueries;
import io.assetetl.query.SourceLastRuns;
import io.assetetl.run.SourceDefinition;
import io.assetetl.service.api.HealthResponse;
import io.assetetl.service.api.HealthResponse.SourceHealth;
import io.assetetl.store.DatabaseFailures;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code GET /health}: whether the database answers, and each source's last run. Nothing is cached, so
 * the answer turns back to healthy by itself as soon as the database is reachable again.
 */
public final class ServiceHealth {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceHealth.class);

    private final AssetEtl etl;
    private final RunQueries runs;

    public ServiceHealth(AssetEtl etl, RunQueries runs) {
        this.etl = requireNonNull(etl, "etl is null");
        this.runs = requireNonNull(runs, "runs is null");
    }

    public HealthResponse check() {
        try {
            Map<String, SourceHealth> sources = new LinkedHashMap<>();
            for (SourceDefinition source : etl.sources()) {
                sources.put(source.name(), new SourceHealth(null, null, null));
            }
            // a few index probes per source, however many runs the ledger holds: probes call this every few seconds
            for (SourceLastRuns last : runs.lastRuns()) {
                sources.put(last.source(), new SourceHealth(last.lastRun().status().code(), last.lastSuccessAt(),
                        last.lastFailureAt()));
            }
            return new HealthResponse("ok", "connected", sources);
        } catch (RuntimeException e) {
            LOG.warn("health check: database unreachable: {}", DatabaseFailures.describe(e));
            return new HealthResponse("error", "disconnected", Map.of());
        }
    }
}
