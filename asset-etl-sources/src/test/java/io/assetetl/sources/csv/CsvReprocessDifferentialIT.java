package io.assetetl.sources.csv;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetetl.AssetEtl;
import io.assetetl.run.RunRequest;
import io.assetetl.run.RunResult;
import io.assetetl.run.ReprocessComparison;
import io.assetetl.run.ReprocessComparison.ReplayPages;
import io.assetetl.run.SourceDefinition;
import io.assetetl.spi.SourceConfig;
import io.assetetl.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded differential test of {@code reprocess csv}: many short random histories of one file, written anew,
 * appended to, rewritten back to an earlier content, given another modification time, each followed by an ingest
 * (now and then with its checkpoint reset, so that the file is read again from its start), then a reprocess, which
 * must leave the canonical tables as the ingests left them.
 *
 * <p>Half the histories' files have a timestamp column, the others none (their lines take the file's modification
 * time). Rows draw symbols from a small pool (XBT is BTC, eth is ETH), times from a handful of instants, names given
 * or not, market caps given or not, and prices the source or the engine rejects. Every file ends with a line break:
 * a last line still being written is left for a later run by design, which {@link CsvSourceIT} covers.
 *
 * <p>{@value #HISTORIES} histories by default (about 25 s), {@value #STRESS_HISTORIES} with {@code -Dstress=true}.
 * A history whose reprocess differs is shrunk (steps, then rows, dropped while it still differs) and printed.
 */
class CsvReprocessDifferentialIT {

    private static final long SEED = 0xC5F_2026L;
    private static final int HISTORIES = 40;
    private static final int STRESS_HISTORIES = 1500;
    private static final long SMALL_PAGE_SEED = 0xC5A6E_2026L;
    private static final int SMALL_PAGE_HISTORIES = 16;
    /** Replays in pages of 1, 2, 3 and 7 lines, and in pages of up to 200 bytes of payload (1 or 2 lines). */
    private static final List<ReplayPages> SMALL_PAGES = List.of(ReplayPages.of(1), ReplayPages.of(2),
            ReplayPages.of(3), ReplayPages.of(7), new ReplayPages(50, 200));
    private static final String TIMED_HEADER = "symbol,name,price_usd,market_cap_usd,timestamp\n";
    private static final String UNTIMED_HEADER = "symbol,name,price_usd,market_cap_usd\n";
    private static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");
    private static final List<String> SYMBOLS = List.of("BTC", "XBT", "ETH", "eth", "SOL", "ADA");
    private static final List<String> PRICES = List.of("1", "2", "2.50", "2.5", "0.001", "0", "-1", "n/a");

    @TempDir
    Path dir;

    private final TestDatabase db = TestDatabase.create();

    /**
     * The same generator, with another seed, each history reprocessed in small pages before the default reprocess:
     * of 1, 2, 3 or 7 lines, or of about two lines' bytes, in turn, so that page boundaries fall inside the ingests'
     * chunks. {@value #SMALL_PAGE_HISTORIES} histories by default (about 15 s), {@value #STRESS_HISTORIES} with
     * {@code -Dstress=true}.
     */
    @Test
    void reprocessInPagesOfAFewLinesOfRandomHistoriesOfAFileLeavesTheTablesTheIngestsLeft() {
        int histories = Boolean.getBoolean("stress") ? STRESS_HISTORIES : SMALL_PAGE_HISTORIES;
        Random random = new Random(SMALL_PAGE_SEED);
        List<String> failures = new ArrayList<>();
        for (int n = 0; n < histories && failures.size() < 3; n++) {
            History history = History.generate(random);
            List<ReplayPages> pages = List.of(SMALL_PAGES.get(n % SMALL_PAGES.size()));
            Optional<String> mismatch = check(history, pages);
            if (mismatch.isPresent()) {
                History minimal = shrink(history, pages);
                failures.add("history " + n + " (" + history.steps.size() + " steps) differs: " + mismatch.get()
                        + "\nshrunk to " + minimal.steps.size() + " steps: "
                        + check(minimal, pages).orElse("?") + "\n" + minimal);
            }
        }
        assertThat(failures).as(String.join("\n\n", failures)).isEmpty();
    }

    @Test
    void aNameThatOnlyAnEarlierLineOfAChunkGivesNamesTheAssetAsAReprocessInPagesOfOneLineDoes() {
        // one chunk of both lines, whose latest names no asset: it named BTC after the first line, as a page of that
        // line alone does, rather than leaving BTC unnamed for the reprocess to name
        History history = new History(true, 1000, List.of(new Step(false,
                "BTC,BTC coin,1,,2025-03-01T00:00:00Z\nXBT,,2,,2025-03-01T00:01:00Z\n", T0.plusSeconds(60), false)));

        assertThat(check(history, SMALL_PAGES)).isEmpty();
        String name = db.jdbi().withHandle(h -> h.createQuery("SELECT name FROM assets WHERE canonical_symbol = 'BTC'")
                .mapTo(String.class).one());
        assertThat(name).isEqualTo("BTC coin");
    }

    @Test
    void reprocessOfRandomHistoriesOfAFileWrittenAppendedRewrittenAndReadAgainLeavesTheTablesTheIngestsLeft() {
        int histories = Boolean.getBoolean("stress") ? STRESS_HISTORIES : HISTORIES;
        Random random = new Random(SEED);
        List<String> failures = new ArrayList<>();
        for (int n = 0; n < histories && failures.size() < 3; n++) {
            History history = History.generate(random);
            Optional<String> mismatch = check(history);
            if (mismatch.isPresent()) {
                History minimal = shrink(history);
                failures.add("history " + n + " (" + history.steps.size() + " steps) differs: " + mismatch.get()
                        + "\nshrunk to " + minimal.steps.size() + " steps: " + check(minimal).orElse("?") + "\n"
                        + minimal);
            }
        }
        assertThat(failures).as(String.join("\n\n", failures)).isEmpty();
    }

    /** Plays {@code history} on an emptied database and reprocesses it; what differs from the contract, if any. */
    private Optional<String> check(History history) {
        return check(history, List.of());
    }

    /**
     * Plays {@code history} on an emptied database and reprocesses it in each of {@code smallPages} in turn, then as
     * {@link AssetEtl} does; what differs from the contract, if any.
     */
    private Optional<String> check(History history, List<ReplayPages> smallPages) {
        db.emptyTables();
        Path file = dir.resolve("assets.csv");
        SourceDefinition definition = SourceDefinition.of("csv", "csv", SourceConfig.of(Map.of("path",
                file.toString(), "batch_size", Integer.toString(history.batchSize))));
        try (AssetEtl etl = AssetEtl.builder().dataSource(db.dataSource()).discoverFactories(true)
                .source(definition).build()) {
            String content = "";
            for (int s = 0; s < history.steps.size(); s++) {
                Step step = history.steps.get(s);
                content = step.append ? content + step.content : step.content;
                write(file, (history.timed ? TIMED_HEADER : UNTIMED_HEADER) + content, step.modified);
                if (step.resetCheckpoint) {
                    db.jdbi().useHandle(h -> h.execute("DELETE FROM etl_checkpoints"));
                }
                RunResult run = etl.run(RunRequest.of("csv"));
                if (!run.succeeded()) {
                    return Optional.of("step " + (s + 1) + "'s run failed: " + run.error());
                }
                if (run.processed() != run.loaded() + run.unchanged() + run.rejected()) {
                    return Optional.of("step " + (s + 1) + "'s run counts " + ReprocessComparison.counts(run));
                }
            }
            return ReprocessComparison.check(db, etl, Clock.systemUTC(), definition, new CsvSourceFactory(),
                    smallPages);
        }
    }

    private static void write(Path file, String content, Instant modified) {
        try {
            Files.writeString(file, content);
            Files.setLastModifiedTime(file, FileTime.from(modified));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A smaller history that still differs: steps, then rows, dropped one at a time for as long as one can be. */
    private History shrink(History history) {
        return shrink(history, List.of());
    }

    /** {@link #shrink(History)} for a history whose reprocess in {@code smallPages} differs. */
    private History shrink(History history, List<ReplayPages> smallPages) {
        History current = history;
        boolean smaller = true;
        while (smaller) {
            smaller = false;
            for (History candidate : current.oneLess()) {
                if (check(candidate, smallPages).isPresent()) {
                    current = candidate;
                    smaller = true;
                    break;
                }
            }
        }
        return current;
    }

    /**
     * The file written anew ({@code append} false) or appended to with {@code content} (rows, each ending with a
     * line break), given the modification time {@code modified}, then an ingest, its checkpoint reset first when
     * {@code resetCheckpoint}.
     */
    private record Step(boolean append, String content, Instant modified, boolean resetCheckpoint) {

        List<Step> oneRowLess() {
            List<String> rows = List.of(content.split("\n"));
            List<Step> less = new ArrayList<>();
            for (int i = 0; i < rows.size() && rows.size() > 1; i++) {
                List<String> kept = new ArrayList<>(rows);
                kept.remove(i);
                less.add(new Step(append, String.join("\n", kept) + "\n", modified, resetCheckpoint));
            }
            if (resetCheckpoint) {
                less.add(new Step(append, content, modified, false));
            }
            return less;
        }

        @Override
        public String toString() {
            return (append ? "append" : "write") + " at " + modified + (resetCheckpoint ? ", checkpoint reset" : "")
                    + ":\n    " + content.strip().replace("\n", "\n    ");
        }
    }

    private record History(boolean timed, int batchSize, List<Step> steps) {

        List<History> oneLess() {
            List<History> less = new ArrayList<>();
            for (int s = 0; s < steps.size() && steps.size() > 1; s++) {
                List<Step> kept = new ArrayList<>(steps);
                kept.remove(s);
                less.add(new History(timed, batchSize, kept));
            }
            for (int s = 0; s < steps.size(); s++) {
                for (Step step : steps.get(s).oneRowLess()) {
                    List<Step> kept = new ArrayList<>(steps);
                    kept.set(s, step);
                    less.add(new History(timed, batchSize, kept));
                }
            }
            return less;
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder((timed ? "file with timestamps" : "file without timestamps")
                    + ", chunks of " + batchSize + "\n");
            steps.forEach(s -> text.append(s).append('\n'));
            return text.toString();
        }

        /** 2 to 7 steps, each a new content, an append, an earlier content again, or the same one touched. */
        static History generate(Random random) {
            boolean timed = random.nextBoolean();
            int batchSize = List.of(1, 2, 3, 1000).get(random.nextInt(4));
            List<Step> steps = new ArrayList<>();
            List<String> contents = new ArrayList<>();
            String content = "";
            Instant modified = T0;
            int count = 2 + random.nextInt(6);
            for (int s = 0; s < count; s++) {
                modified = modified.plusSeconds(60 * (1 + random.nextInt(2)));
                boolean reset = random.nextInt(6) == 0;
                int kind = s == 0 ? 0 : random.nextInt(4);
                Step step;
                if (kind == 1) {
                    step = new Step(true, rows(random, timed, 1 + random.nextInt(3)), modified, reset);
                    content = content + step.content;
                } else if (kind == 2) {
                    content = contents.get(random.nextInt(contents.size()));
                    step = new Step(false, content, modified, reset);
                } else if (kind == 3) {
                    step = new Step(false, content, modified, reset);
                } else {
                    content = rows(random, timed, 1 + random.nextInt(5));
                    step = new Step(false, content, modified, reset);
                }
                contents.add(content);
                steps.add(step);
            }
            return new History(timed, batchSize, steps);
        }

        private static String rows(Random random, boolean timed, int count) {
            StringBuilder rows = new StringBuilder();
            for (int i = 0; i < count; i++) {
                String symbol = SYMBOLS.get(random.nextInt(SYMBOLS.size()));
                int name = random.nextInt(3);
                rows.append(symbol).append(',').append(name == 0 ? "" : symbol.toUpperCase() + (name == 1 ? " coin"
                        : " token")).append(',').append(PRICES.get(random.nextInt(PRICES.size()))).append(',')
                        .append(random.nextBoolean() ? "" : Integer.toString(1000 * (1 + random.nextInt(2))));
                if (timed) {
                    rows.append(',').append(T0.plusSeconds(60L * random.nextInt(4)));
                }
                rows.append('\n');
            }
            return rows.toString();
        }
    }
}
