package io.assetetl.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assetetl.model.Checkpoint;
import io.assetetl.model.Interpretation;
import io.assetetl.model.Observation;
import io.assetetl.model.RawRecord;
import io.assetetl.model.Rejection;
import io.assetetl.spi.Batch;
import io.assetetl.spi.Source;
import io.assetetl.spi.SourceConfig;
import io.assetetl.spi.SourceContext;
import io.assetetl.spi.SourceFactory;
import io.assetetl.spi.SourceReader;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kit tells an adapter that breaks the contract so, rather than letting it pass. */
class AdapterContractKitIT {

    @TempDir
    Path workDir;

    @Test
    void theKitFailsAnAdapterWhoseInterpretReadsThePayloadAsItWroteItAndNotAsItIsStored() throws Exception {
        TextBoundContract contract = new TextBoundContract();
        contract.workDir = workDir;
        contract.prepareFixture();

        assertThatThrownBy(contract::interpretingAStoredRawRecordGivesWhatReadingGave)
                .isInstanceOf(AssertionError.class).hasMessageContaining("as stored");
    }

    /** The contract over {@link TextBoundSourceFactory}. */
    static final class TextBoundContract extends AdapterContractTest {

        @Override
        protected SourceFactory factory() {
            return new TextBoundSourceFactory();
        }

        @Override
        protected SourceConfig fixtureConfig(Path workDir) {
            return SourceConfig.of(Map.of("rows", "BTC:60000 ETH:3000 SOL:free ADA:1"));
        }
    }

    /**
     * Reads {@code rows} ({@code SYMBOL:price}, two a batch) into payloads {@code {"row":"BTC:60000"}}, and matches
     * a payload's text as it wrote it, with no space after the colon: PostgreSQL stores payloads as {@code jsonb},
     * whose text has one, so that {@code reprocess} rejects every record this source loaded.
     */
    static final class TextBoundSourceFactory implements SourceFactory {

        private static final Pattern ROW = Pattern.compile("\\{\"row\":\"([A-Z]+):([0-9]+)\"}");

        @Override
        public String type() {
            return "text-bound";
        }

        @Override
        public Source create(String name, SourceConfig config, SourceContext context) {
            List<String> rows = List.of(config.require("rows").split(" "));
            return new Source() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public SourceReader open(Optional<Checkpoint> checkpoint) {
                    int start = checkpoint.map(c -> Integer.parseInt(c.position().replaceAll("\\D", ""))).orElse(0);
                    return new SourceReader() {
                        int next = start;

                        @Override
                        public Optional<Batch> next() {
                            if (next >= rows.size()) {
                                return Optional.empty();
                            }
                            List<Interpretation> batch = rows.subList(next, Math.min(rows.size(), next + 2)).stream()
                                    .map(row -> interpret(new RawRecord.Keyed(row, "{\"row\":\"" + row + "\"}")))
                                    .toList();
                            next += batch.size();
                            return Optional.of(Batch.of(batch, Checkpoint.of("{\"next\":" + next + "}")));
                        }

                        @Override
                        public void close() {
                        }
                    };
                }

                @Override
                public Interpretation interpret(RawRecord raw) {
                    Matcher row = ROW.matcher(raw.payload());
                    if (!row.matches()) {
                        return Rejection.of("unparseable_row", "not SYMBOL:price", raw);
                    }
                    return new Observation(row.group(1), null, null, new BigDecimal(row.group(2)), null, null,
                            Instant.parse("2024-05-01T00:00:00Z"), raw);
                }
            };
        }
    }
}
