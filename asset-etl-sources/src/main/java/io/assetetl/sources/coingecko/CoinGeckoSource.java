package io.assetetl.sources.coingecko;

import io.assetetl.model.Checkpoint;
import io.assetetl.model.Interpretation;
import io.assetetl.model.RawRecord;
import io.assetetl.model.RejectReason;
import io.assetetl.model.Rejection;
import io.assetetl.spi.Source;
import io.assetetl.spi.SourceReader;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The top coins by market cap from CoinGecko's {@code /coins/markets}, a snapshot per run. */
final class CoinGeckoSource implements Source {

    private static final Logger LOG = LoggerFactory.getLogger(CoinGeckoSource.class);

    private final String name;
    private final CoinGeckoSettings settings;
    private final CoinGeckoClient client;
    private final Clock clock;

    CoinGeckoSource(String name, CoinGeckoSettings settings, CoinGeckoClient client, Clock clock) {
        this.name = name;
        this.settings = settings;
        this.client = client;
        this.clock = clock;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public SourceReader open(Optional<Checkpoint> checkpoint) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Optional<SnapshotPosition> previous = checkpoint.flatMap(SnapshotPosition::parse);
        SnapshotPosition position;
        if (previous.isPresent() && previous.get().resumableAt(now, settings.resumeWindow(), settings.pages(),
                settings.perPage())) {
            position = previous.get();
            LOG.info("source {}: resuming the snapshot started at {} from page {}", name, position.snapshotAt(),
                    position.nextPage());
        } else {
            position = SnapshotPosition.start(now, settings.perPage());
            LOG.info("source {}: starting a new snapshot of {} page(s) of {} coins ({})", name, settings.pages(),
                    settings.perPage(), settings);
        }
        return new CoinGeckoReader(name, client, settings, clock, position);
    }

    @Override
    public Interpretation interpret(RawRecord raw) {
        if (raw instanceof RawRecord.ApiItem item) {
            return MarketItems.interpret(item);
        }
        return Rejection.of(RejectReason.UNPARSEABLE_ROW, "not a CoinGecko item: " + raw.position(), raw);
    }
}
