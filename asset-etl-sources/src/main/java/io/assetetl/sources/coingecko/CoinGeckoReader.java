package io.assetetl.sources.coingecko;

import io.assetetl.model.DriftEvent;
import io.assetetl.model.Interpretation;
import io.assetetl.model.RawRecord;
import io.assetetl.spi.Batch;
import io.assetetl.spi.SourceException;
import io.assetetl.spi.SourceReader;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one snapshot of {@code /coins/markets}, one page per batch, from {@code position.nextPage()} until an
 * empty page, a short page or the page cap. Each drift event goes with the batch of the page it was first seen in
 * and is logged as a warning then, once per reader. A page whose items all lack a field the adapter needs (CoinGecko
 * changed its API) is still returned, to be stored as rejects with its drift, and the next call fails the run: a run
 * that read nothing it could load does not succeed. Used from one thread.
 */
final class CoinGeckoReader implements SourceReader {

    private static final Logger LOG = LoggerFactory.getLogger(CoinGeckoReader.class);

    private final String name;
    private final CoinGeckoClient client;
    private final CoinGeckoSettings settings;
    private final Clock clock;
    private final FieldDrift drift = new FieldDrift(CoinMarket.EXPECTED_FIELDS, CoinMarket.REQUIRED_FIELDS);
    private SnapshotPosition position;
    private boolean finished;
    /** Why the run fails at the next call: a page whose items all lack a field the adapter needs. */
    private String apiChanged;

    CoinGeckoReader(String name, CoinGeckoClient client, CoinGeckoSettings settings, Clock clock,
            SnapshotPosition position) {
        this.name = name;
        this.client = client;
        this.settings = settings;
        this.clock = clock;
        this.position = position;
    }

    @Override
    public Optional<Batch> next() {
        if (apiChanged != null) {
            throw new SourceException(apiChanged);
        }
        if (finished) {
            return Optional.empty();
        }
        int page = position.nextPage();
        List<String> items = client.marketsPage(page).items();
        // the database keeps microseconds; millisecond precision makes the stored fetch time equal the read one
        Instant fetchedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        boolean last = items.size() < settings.perPage() || page >= settings.pages();
        if (items.isEmpty() && page == 1) {
            // a market that lists no coin at all is CoinGecko's trouble (or a wrong vs_currency), not a quiet day
            LOG.warn("source {}: CoinGecko's first page of /coins/markets is empty: the snapshot has no coins", name);
        }
        List<Interpretation> records = new ArrayList<>(items.size());
        List<List<String>> fields = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            RawRecord.ApiItem raw = MarketItems.raw(items.get(i), page, i, fetchedAt);
            records.add(MarketItems.interpret(raw));
            // an element that is no object (null, a string) is rejected as unreadable: no field of it is missing
            MarketItems.fieldNames(items.get(i)).ifPresent(fields::add);
        }
        List<DriftEvent> events = drift.check(fields);
        events.forEach(this::warn);
        List<String> lost = drift.requiredMissingFromAll(fields);
        if (!lost.isEmpty()) {
            // the page is stored (raw items, rejects, drift) for whoever updates the adapter; then the run fails,
            // rather than succeed with nothing loaded, page after page
            apiChanged = "every item of page " + page + " of CoinGecko's /coins/markets lacks "
                    + String.join(", ", lost) + ", which this adapter needs: CoinGecko's API changed; the page's "
                    + items.size() + " items are stored as rejects with field_missing drift";
        }
        position = position.after(page, last);
        finished = last;
        return Optional.of(new Batch(records, events, position.toCheckpoint()));
    }

    private void warn(DriftEvent event) {
        if (event.kind().equals(FieldDrift.FIELD_ADDED)) {
            LOG.warn("source {}: CoinGecko sends a field the adapter does not read, '{}'; it is kept in the raw "
                    + "payload ({})", name, event.actual(), event.kind());
        } else {
            LOG.warn("source {}: CoinGecko items lack the field '{}'; {} ({})", name, event.expected(),
                    event.action().equals(FieldDrift.ITEMS_REJECTED) ? "those items are rejected"
                            : "it is read as null", event.kind());
        }
    }

    @Override
    public void close() {
        finished = true;
    }
}
