package io.assetetl.store.internal;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.postgresql.copy.CopyIn;
import org.postgresql.util.ByteStreamWriter;

/**
 * Why {@link CopyRows} writes the {@code COPY} text itself: per value, against what the JDK would do for the same
 * bytes ({@link String#getBytes} of the text, {@link BigDecimal#toPlainString} of a price). The values are shaped
 * like a quotes file's: a raw line's JSON payload, and prices with 8 and 2 decimal places. Run by hand (README,
 * Performance); not part of the build's tests.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CopyRowsBenchmark {

    private static final int VALUES = 1000;

    private final String[] payloads = new String[VALUES];
    private final BigDecimal[] prices = new BigDecimal[VALUES];
    private final CopyRows rows = new CopyRows(VALUES);
    private final BinaryCopyRows binaryRows = new BinaryCopyRows(1 << 20);
    private final byte[] buffer = new byte[1 << 20];
    private Drain drain;

    @Setup
    public void values(Blackhole blackhole) {
        Random random = new Random(7);
        for (int i = 0; i < VALUES; i++) {
            double price = random.nextDouble() * 60000;
            BigDecimal p = BigDecimal.valueOf(Math.round(price * 1e8), 8);
            BigDecimal cap = BigDecimal.valueOf(Math.round(price * 1e7 * 100), 2);
            prices[i] = i % 2 == 0 ? p : cap;
            payloads[i] = "{\"symbol\":\"SYM" + i + "\",\"name\":\"Sym" + i + " Coin\",\"price_usd\":\""
                    + p.toPlainString() + "\",\"market_cap_usd\":\"" + cap.toPlainString()
                    + "\",\"volume_24h_usd\":\"123456789.25\",\"timestamp\":\"2024-01-01T00:00:00Z\"}";
        }
        drain = new Drain(blackhole);
    }

    @Benchmark
    @OperationsPerInvocation(VALUES)
    public void payloadIntoCopyRows() throws SQLException {
        for (String payload : payloads) {
            rows.addJson(payload);
            rows.endRow();
        }
        rows.drainTo(drain);
    }

    @Benchmark
    @OperationsPerInvocation(VALUES)
    public void payloadAsJdkUtf8Bytes(Blackhole blackhole) {
        for (String payload : payloads) {
            blackhole.consume(payload.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Benchmark
    @OperationsPerInvocation(VALUES)
    public void payloadIntoBinaryCopyRows() throws SQLException {
        for (String payload : payloads) {
            binaryRows.addJsonb(payload);
            binaryRows.endRow();
        }
        binaryRows.drainTo(drain);
    }

    @Benchmark
    @OperationsPerInvocation(VALUES)
    public void payloadAsJdkUtf8BytesIntoBuffer() {
        int at = 0;
        for (String payload : payloads) {
            byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(bytes, 0, buffer, at, bytes.length);
            at += bytes.length;
        }
        drain.writeToCopy(buffer, 0, at);
    }

    @Benchmark
    @OperationsPerInvocation(VALUES)
    public void priceIntoCopyRows() throws SQLException {
        for (BigDecimal price : prices) {
            rows.add(price);
            rows.endRow();
        }
        rows.drainTo(drain);
    }

    @Benchmark
    @OperationsPerInvocation(VALUES)
    public void priceAsPlainStringBytes(Blackhole blackhole) {
        for (BigDecimal price : prices) {
            blackhole.consume(price.toPlainString().getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** A {@code COPY} that hands what it is sent to the blackhole. */
    private static final class Drain implements CopyIn {

        private final Blackhole blackhole;

        Drain(Blackhole blackhole) {
            this.blackhole = blackhole;
        }

        @Override
        public void writeToCopy(byte[] buf, int off, int siz) {
            blackhole.consume(buf[off + siz - 1]);
        }

        @Override
        public void writeToCopy(ByteStreamWriter from) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void flushCopy() {
        }

        @Override
        public long endCopy() {
            return 0;
        }

        @Override
        public int getFieldCount() {
            return 0;
        }

        @Override
        public int getFormat() {
            return 0;
        }

        @Override
        public int getFieldFormat(int field) {
            return 0;
        }

        @Override
        public boolean isActive() {
            return true;
        }

        @Override
        public void cancelCopy() {
        }

        @Override
        public long getHandledRowCount() {
            return 0;
        }
    }
}
