package io.assetetl.sources.csv;

import java.math.BigDecimal;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Why the clean {@code csv} source reads numbers with {@link ValueCleaner#plainNumber} (and its
 * {@link ValueCleaner#simpleDecimal} fast path) while {@code csv_weird} pays for {@link ValueCleaner#number}: per
 * cell, the three on the cells of a clean file, and the lenient one on the cells of a messy one. Run by hand
 * (README, Performance); not part of the build's tests.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class NumberCleaningBenchmark {

    /** Prices, market caps and volumes as a well-formed export writes them. */
    private final String[] clean = {"6174.42855864", "857300763862.01", "0.00012345", "43250.5", "1910412000000",
        "38512000000", "3318.42", "0.99980000"};

    /** The same kind of values as people write them in the messy sample. */
    private final String[] messy = {"$43,250.10", "98.7 USD", "2 310,55 $", "1.234.567,8", "$1.7T", "600B",
        "1.5e9", "(12.5)"};

    @Benchmark
    @OperationsPerInvocation(8)
    public void plainNumberOnCleanCells(Blackhole blackhole) {
        for (String cell : clean) {
            blackhole.consume(ValueCleaner.plainNumber(cell));
        }
    }

    @Benchmark
    @OperationsPerInvocation(8)
    public void simpleDecimalOnCleanCells(Blackhole blackhole) {
        for (String cell : clean) {
            blackhole.consume(ValueCleaner.simpleDecimal(cell));
        }
    }

    @Benchmark
    @OperationsPerInvocation(8)
    public void bigDecimalParserOnCleanCells(Blackhole blackhole) {
        for (String cell : clean) {
            blackhole.consume(new BigDecimal(cell));
        }
    }

    @Benchmark
    @OperationsPerInvocation(8)
    public void lenientNumberOnCleanCells(Blackhole blackhole) {
        for (String cell : clean) {
            blackhole.consume(ValueCleaner.number(cell));
        }
    }

    @Benchmark
    @OperationsPerInvocation(8)
    public void lenientNumberOnMessyCells(Blackhole blackhole) {
        for (String cell : messy) {
            blackhole.consume(ValueCleaner.number(cell));
        }
    }
}
