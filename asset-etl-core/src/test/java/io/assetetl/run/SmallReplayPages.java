package io.assetetl.run;

import io.assetetl.model.Consensus;
import io.assetetl.model.IdentityRules;
import io.assetetl.spi.SourceContext;
import io.assetetl.spi.SourceFactory;
import java.time.Clock;
import java.util.Map;
import java.util.OptionalLong;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * Reprocesses a source as {@link io.assetetl.AssetEtl#reprocess} does with the default identity rules and divergence
 * threshold, but replaying its raw records in pages of a few records: the default page holds 50,000, so a test's
 * every replay is one page, and the boundaries between pages, which fall elsewhere than the ingests' chunks did, are
 * never crossed.
 */
public final class SmallReplayPages {

    private SmallReplayPages() {
    }

    /**
     * Reprocesses {@code source}, made by {@code factory}, in pages of at most {@code records} records and at most
     * {@code bytes} bytes of payload (but for each page's first record).
     */
    public static RunResult reprocess(DataSource dataSource, Clock clock, SourceDefinition source,
            SourceFactory factory, int records, int bytes) {
        RunEngine engine = new RunEngine(Jdbi.create(dataSource), Map.of(source.name(), source),
                Map.of(factory.type(), factory), new SourceContext(clock, EtlMetrics.NOOP), IdentityRules.defaults(),
                Consensus.DEFAULT_THRESHOLD, OptionalLong.empty(), Runnable::run, records, bytes);
        return engine.reprocess(source.name(), RunProgress.NONE);
    }

    /** Reprocesses {@code source}, made by {@code factory}, in pages of at most {@code records} records. */
    public static RunResult reprocess(DataSource dataSource, Clock clock, SourceDefinition source,
            SourceFactory factory, int records) {
        return reprocess(dataSource, clock, source, factory, records, Integer.MAX_VALUE);
    }
}
