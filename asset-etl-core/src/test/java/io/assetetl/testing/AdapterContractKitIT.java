package io.assetetl.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assetetl.model.Checkpoint;
import io.assetetl.model.Interpretation;
import io.assetetl.model.RawRecord;
import io.assetetl.model.Rejection;
import io.assetetl.spi.Source;
import io.assetetl.spi.SourceConfig;
import io.assetetl.spi.SourceContext;
import io.assetetl.spi.SourceFactory;
import io.assetetl.spi.SourceReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    @Test
    void theKitRunsAnAdapterWhoseTypeCouldNotNameASource() throws Exception {
        DottedTypeContract contract = new DottedTypeContract();
        contract.workDir = workDir;
        contract.prepareFixture();

        contract.aStraightRunLoadsGoodRecordsAndRejectsBadOnesWithReasonCodes();
        contract.interpretingAStoredRawRecordGivesWhatReadingGave();
    }

    /**
     * The list source's contract, over a factory whose type is a vendor's dotted, mixed-case name: any text is a
     * type, while a source's name is a lower-case word, which the service's configuration gives a plugged-in source.
     */
    static final class DottedTypeContract extends AdapterContractTest {

        @Override
        protected SourceFactory factory() {
            ListSourceFactory list = new ListSourceFactory();
            return new SourceFactory() {
                @Override
                public String type() {
                    return "com.Acme.Prices";
                }

                @Override
                public Source create(String name, SourceConfig config, SourceContext context) {
                    return list.create(name, config, context);
                }
            };
        }

        @Override
        protected SourceConfig fixtureConfig(Path workDir) {
            ListSourceFactory.dataset("dotted-type", List.of("BTC,,60000,1714521600", "ETH,,3000,1714521600",
                    "SOL,,free,1714521600"));
            return SourceConfig.of(Map.of("dataset", "dotted-type", "batch_size", "2"));
        }
    }

    /** The contract over {@link TextBoundSourceFactory}. */
    static final class TextBoundContract extends AdapterContractTest {

        @Override
        protected SourceFactory factory() {
            return new TextBoundSourceFactory();
        }

        @Override
        protected SourceConfig fixtureConfig(Path workDir) {
            ListSourceFactory.dataset("text-bound", List.of("BTC,,60000,1714521600", "ETH,,3000,1714521600",
                    "SOL,,free,1714521600", "ADA,,1,1714521600"));
            return SourceConfig.of(Map.of("dataset", "text-bound", "batch_size", "2"));
        }
    }

    /**
     * The {@code list} source, with an {@code interpret} that matches a payload's text as that source writes it
     * ({@code {"row":"BTC,,60000,…"}}, no space after the colon): PostgreSQL stores payloads as {@code jsonb}, whose
     * text has one, so that {@code reprocess} rejects every record this source loaded.
     */
    static final class TextBoundSourceFactory implements SourceFactory {

        private static final Pattern AS_WRITTEN = Pattern.compile("\\{\"row\":\"[^\"]*\"}");

        private final ListSourceFactory list = new ListSourceFactory();

        @Override
        public String type() {
            return "text-bound";
        }

        @Override
        public Source create(String name, SourceConfig config, SourceContext context) {
            Source rows = list.create(name, config, context);
            return new Source() {
                @Override
                public String name() {
                    return rows.name();
                }

                @Override
                public SourceReader open(Optional<Checkpoint> checkpoint) {
                    return rows.open(checkpoint);
                }

                @Override
                public Interpretation interpret(RawRecord raw) {
                    return AS_WRITTEN.matcher(raw.payload()).matches() ? rows.interpret(raw)
                            : Rejection.of("unparseable_row", "not {\"row\":…} as written", raw);
                }
            };
        }
    }
}
