package io.assetetl.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.assetetl.AssetEtl;
import io.assetetl.model.Checkpoint;
import io.assetetl.model.Interpretation;
import io.assetetl.model.Observation;
import io.assetetl.model.RawRecord;
import io.assetetl.spi.Batch;
import io.assetetl.spi.Source;
import io.assetetl.spi.SourceConfig;
import io.assetetl.spi.SourceContext;
import io.assetetl.spi.SourceFactory;
import io.assetetl.spi.SourceReader;
import io.assetetl.testing.TestDatabase;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A source whose batches carry checkpoints of two streams gets each stream's back, and resumes both. */
class CheckpointStreamsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, List<String>> STREAMS = Map.of(
            "coins", List.of("AAA", "AAB", "AAC"),
            "tokens", List.of("BBA", "BBB", "BBC"));

    private final TestDatabase db = TestDatabase.create();
    /** What each run's source was opened with. */
    private final List<Map<String, Checkpoint>> opened = new CopyOnWriteArrayList<>();

    @Test
    void aRunResumesEachStreamFromItsOwnCheckpoint() throws Exception {
        RunResult failed = etl(2L).run(RunRequest.of("two"));
        assertThat(failed.status()).as("failed in its third batch").isEqualTo(RunStatus.FAILED);
        assertThat(failed.processed()).isEqualTo(2);

        RunResult resumed = etl(null).run(RunRequest.of("two"));

        assertThat(opened.get(0)).isEmpty();
        assertThat(opened.get(1)).containsOnlyKeys("coins", "tokens");
        assertThat(opened.get(1).get("coins").position()).isEqualTo("{\"next\": 1}");
        assertThat(opened.get(1).get("tokens").position()).isEqualTo("{\"next\": 1}");
        assertThat(resumed.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(resumed.processed()).as("the four records after both checkpoints").isEqualTo(4);
        assertThat(db.count("asset_sources")).isEqualTo(6);
        String stored = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT metadata::text FROM etl_runs WHERE run_id = :run").bind("run", resumed.runId())
                .mapTo(String.class).one());
        JsonNode metadata = JSON.readTree(stored);
        assertThat(metadata.get("checkpoint_start").toString())
                .isEqualTo("{\"coins\":{\"next\":1},\"tokens\":{\"next\":1}}");
        assertThat(metadata.get("checkpoint_end").toString())
                .isEqualTo("{\"coins\":{\"next\":3},\"tokens\":{\"next\":3}}");
    }

    private AssetEtl etl(Long failAfterRecords) {
        AssetEtl.Builder builder = AssetEtl.builder().dataSource(db.dataSource()).discoverFactories(false)
                .factory(new TwoStreams())
                .source(SourceDefinition.of("two", "two-streams", SourceConfig.of(Map.of())));
        if (failAfterRecords != null) {
            builder.failAfterRecords(failAfterRecords);
        }
        return builder.build();
    }

    /** One record a batch, the two streams taking turns, each batch with its own stream's checkpoint. */
    private final class TwoStreams implements SourceFactory {

        @Override
        public String type() {
            return "two-streams";
        }

        @Override
        public Source create(String name, SourceConfig config, SourceContext context) {
            return new Source() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public SourceReader open(Optional<Checkpoint> checkpoint) {
                    throw new AssertionError("a source of several streams is opened with all their checkpoints");
                }

                @Override
                public SourceReader open(Map<String, Checkpoint> checkpoints) {
                    opened.add(checkpoints);
                    List<Batch> batches = new ArrayList<>();
                    int coins = next(checkpoints, "coins");
                    int tokens = next(checkpoints, "tokens");
                    while (coins < 3 || tokens < 3) {
                        if (coins < 3) {
                            batches.add(batch("coins", coins++));
                        }
                        if (tokens < 3) {
                            batches.add(batch("tokens", tokens++));
                        }
                    }
                    return new SourceReader() {
                        @Override
                        public Optional<Batch> next() {
                            return batches.isEmpty() ? Optional.empty() : Optional.of(batches.remove(0));
                        }

                        @Override
                        public void close() {
                        }
                    };
                }

                @Override
                public Interpretation interpret(RawRecord raw) {
                    return observation(raw.payload().replaceAll("[^A-Z]", ""));
                }
            };
        }

        private static int next(Map<String, Checkpoint> checkpoints, String stream) {
            Checkpoint checkpoint = checkpoints.get(stream);
            try {
                return checkpoint == null ? 0 : JSON.readTree(checkpoint.position()).get("next").asInt();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        private static Batch batch(String stream, int index) {
            return Batch.of(List.of(observation(STREAMS.get(stream).get(index))),
                    new Checkpoint(stream, "{\"next\":" + (index + 1) + "}"));
        }

        private static Observation observation(String symbol) {
            return new Observation(symbol, null, symbol, BigDecimal.ONE, null, null,
                    Instant.parse("2026-01-01T00:00:00Z"), new RawRecord.Keyed(symbol, "\"" + symbol + "\""));
        }
    }
}
