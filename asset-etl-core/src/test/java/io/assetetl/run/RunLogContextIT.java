package io.assetetl.run;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.assetetl.AssetEtl;
import io.assetetl.spi.SourceConfig;
import io.assetetl.testing.ListSourceFactory;
import io.assetetl.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The log lines of a run carry its {@code run_id} and {@code source} in the MDC (JSON logs show them, text logs name
 * them after the logger), for a reprocess as for an ingest, and a run leaves its caller's MDC as it found it.
 */
class RunLogContextIT {

    private final Logger engine = (Logger) LoggerFactory.getLogger(RunEngine.class);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    private AssetEtl etl(TestDatabase db) {
        ListSourceFactory.dataset("mdc", List.of("BTC,,100,1700000000", "ETH,,200,1700000060"));
        logs.start();
        engine.addAppender(logs);
        return AssetEtl.builder().dataSource(db.dataSource()).discoverFactories(false)
                .factory(new ListSourceFactory())
                .source(SourceDefinition.of("fake", "list", SourceConfig.of(Map.of("dataset", "mdc"))))
                .build();
    }

    @AfterEach
    void detach() {
        engine.detachAppender(logs);
        MDC.clear();
    }

    @Test
    void aReprocessNamesItsRunAndSourceInItsLogLinesAsAnIngestDoes() {
        AssetEtl etl = etl(TestDatabase.create());
        RunResult ingest = etl.run(RunRequest.of("fake"));
        RunResult reprocess = etl.reprocess("fake");

        assertThat(reprocess.status()).isEqualTo(RunStatus.SUCCEEDED);
        for (RunResult run : List.of(ingest, reprocess)) {
            assertThat(logs.list).filteredOn(e -> e.getFormattedMessage().startsWith("run succeeded"))
                    .filteredOn(e -> run.runId().toString().equals(e.getMDCPropertyMap().get("run_id")))
                    .singleElement()
                    .satisfies(e -> assertThat(e.getMDCPropertyMap()).containsEntry("source", "fake"));
        }
    }

    @Test
    void aRunLeavesItsCallersLogContextAsItFoundIt() {
        AssetEtl etl = etl(TestDatabase.create());
        MDC.put("source", "caller's source");
        MDC.put("run_id", "caller's run");

        etl.run(RunRequest.of("fake"));
        assertThat(MDC.get("source")).isEqualTo("caller's source");
        assertThat(MDC.get("run_id")).isEqualTo("caller's run");

        etl.reprocess("fake");
        assertThat(MDC.get("source")).isEqualTo("caller's source");
        assertThat(MDC.get("run_id")).isEqualTo("caller's run");
    }
}
