package io.assetetl.testing;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A source of type {@code list} for engine tests: it serves the rows of a named data set given to
 * {@link #dataset}, {@code batch_size} at a time, with checkpoint {@code {"next": index}}. Each row is
 * {@code symbol,id,price,observedAtEpochSeconds[,name[,marketCap[,volume]]]} (id may be empty; seconds may have a
 * fraction; a price
 * that is not a number is a reject; the name is the symbol and " coin" unless given, and none when given empty);
 * the raw record is {@link RawRecord.Keyed} with key {@code dataset:index}.
 *
 * <p>A data set registered with a latch makes the reader wait on it before its first batch (or before the row
 * {@code pause_at}), to hold a run open.
 */
public final class ListSourceFactory implements SourceFactory {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();
    private static final Map<String, List<String>> DATASETS = new ConcurrentHashMap<>();
    private static final Map<String, CountDownLatch> GATES = new ConcurrentHashMap<>();
    private static final Map<String, CountDownLatch> ENTERED = new ConcurrentHashMap<>();

    public static void dataset(String name, List<String> rows) {
        DATASETS.put(name, List.copyOf(rows));
    }

    /**
     * A closed gate that readers of a data set wait at: {@code entered} counts down when one starts waiting, and
     * {@code latch} opens it. Closing the gate opens it, so that no later reader of the data set waits.
     */
    public record Gate(CountDownLatch latch, CountDownLatch entered) implements AutoCloseable {

        public void open() {
            latch.countDown();
        }

        @Override
        public void close() {
            open();
        }
    }

    /** Makes readers of {@code name} wait at a new closed gate, from where {@code pause_at} says (else their start). */
    public static Gate gate(String name) {
        Gate gate = new Gate(new CountDownLatch(1), new CountDownLatch(1));
        GATES.put(name, gate.latch());
        ENTERED.put(name, gate.entered());
        return gate;
    }

    @Override
    public String type() {
        return "list";
    }

    @Override
    public Source create(String name, SourceConfig config, SourceContext context) {
        String dataset = config.require("dataset");
        int batchSize = config.getInt("batch_size", 3);
        int pauseAt = config.getInt("pause_at", -1);
        return new Source() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public SourceReader open(Optional<Checkpoint> checkpoint) {
                // read when the run opens it, as a file is, so that a test can fail a run on its source
                List<String> rows = DATASETS.get(dataset);
                if (rows == null) {
                    throw new io.assetetl.spi.SourceException("no data set " + dataset);
                }
                int start = checkpoint.map(c -> Integer.parseInt(c.position().replaceAll("\\D", ""))).orElse(0);
                return new SourceReader() {
                    int next = start;

                    @Override
                    public Optional<Batch> next() {
                        CountDownLatch gate = GATES.get(dataset);
                        if (gate != null && next == (pauseAt < 0 ? start : pauseAt)) {
                            ENTERED.get(dataset).countDown();
                            try {
                                gate.await(30, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                        if (next >= rows.size()) {
                            return Optional.empty();
                        }
                        List<Interpretation> records = new ArrayList<>();
                        int end = Math.min(rows.size(), next + batchSize);
                        for (int i = next; i < end; i++) {
                            records.add(interpret(new RawRecord.Keyed(dataset + ":" + i,
                                    JSON.createObjectNode().put("row", rows.get(i)).toString())));
                        }
                        next = end;
                        return Optional.of(Batch.of(records, Checkpoint.of("{\"next\":" + end + "}")));
                    }

                    @Override
                    public void close() {
                    }
                };
            }

            @Override
            public Interpretation interpret(RawRecord raw) {
                String row;
                try {
                    row = JSON.readTree(raw.payload()).get("row").asText();
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    return Rejection.of("unparseable_row", "payload is not JSON", raw);
                }
                String[] f = row.split(",", -1);
                try {
                    return new Observation(f[0], f[1].isEmpty() ? null : f[1],
                            f.length > 4 ? (f[4].isEmpty() ? null : f[4]) : f[0] + " coin", new BigDecimal(f[2]),
                            amount(f, 5), amount(f, 6), epochSeconds(f[3]), raw);
                } catch (NumberFormatException e) {
                    return Rejection.of("invalid_price", "price is not a number: " + f[2], raw);
                }
            }
        };
    }

    /** Field {@code i} as a number, if given. */
    private static BigDecimal amount(String[] fields, int i) {
        return fields.length > i && !fields[i].isEmpty() ? new BigDecimal(fields[i]) : null;
    }

    /** Whole or fractional seconds since the epoch, e.g. {@code 1700000000.25}. */
    private static Instant epochSeconds(String text) {
        BigDecimal seconds = new BigDecimal(text);
        return Instant.ofEpochSecond(seconds.longValue(),
                seconds.remainder(BigDecimal.ONE).movePointRight(9).intValueExact());
    }
}
