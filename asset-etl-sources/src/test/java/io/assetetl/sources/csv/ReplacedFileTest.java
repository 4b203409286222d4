package io.assetetl.sources.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assetetl.model.Interpretation;
import io.assetetl.model.Observation;
import io.assetetl.model.RawRecord;
import io.assetetl.spi.Batch;
import io.assetetl.spi.SourceException;
import io.assetetl.spi.SourceReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A CSV source's file replaced (moved over) while a run reads it. */
class ReplacedFileTest {

    private static final String HEADER = "symbol,name,price_usd,market_cap_usd,volume_24h_usd,timestamp\n";

    private static final Instant WRITTEN = Instant.parse("2025-01-02T01:00:00Z");
    private static final byte[] TWO_ROWS = (HEADER + "BTC,Bitcoin,96000,,,2025-01-02T00:00:00Z\n"
            + "ETH,Ethereum,3400,,,2025-01-02T00:00:00Z\n").getBytes(StandardCharsets.UTF_8);
    /** {@link #TWO_ROWS} with other prices, as long. */
    private static final byte[] TWO_ROWS_CHANGED = (HEADER + "BTC,Bitcoin,96001,,,2025-01-02T00:00:00Z\n"
            + "ETH,Ethereum,3401,,,2025-01-02T00:00:00Z\n").getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    /** {@code content} as the file feed.csv, written an hour before the source's clock, and a csv source of it. */
    private CsvSource source(byte[] content, int batchSize) throws Exception {
        Path file = dir.resolve("feed.csv");
        Files.write(file, content);
        Files.setLastModifiedTime(file, FileTime.from(WRITTEN));
        return new CsvSource("csv", file, batchSize, 1 << 20, new CleanCsvFlavor(),
                Clock.fixed(WRITTEN.plusSeconds(3600), ZoneOffset.UTC));
    }

    @Test
    void aFileMovedOverTheOneBeingReadLeavesTheRunReadingTheOldOneWholeAndItsCheckpointsHashingIt()
            throws Exception {
        byte[] old = (HEADER + "BTC,Bitcoin,96000,,,2025-01-02T00:00:00Z\nETH,Ethereum,3400,,,2025-01-02T00:00:00Z\n"
                + "SOL,Solana,200,,,2025-01-02T00:00:00Z\n").getBytes(StandardCharsets.UTF_8);
        byte[] replacement = (HEADER + "BTC,Bitcoin,1,,,2025-01-03T00:00:00Z\nETH,Ethereum,2,,,2025-01-03T00:00:00Z\n"
                + "SOL,Solana,3,,,2025-01-03T00:00:00Z\n").getBytes(StandardCharsets.UTF_8);
        CsvSource source = source(old, 2);
        Path file = dir.resolve("feed.csv");
        Path next = dir.resolve("feed.csv.tmp");
        Files.write(next, replacement);

        List<String> prices = new ArrayList<>();
        List<CsvCheckpoint> checkpoints = new ArrayList<>();
        List<String> files = new ArrayList<>();
        try (SourceReader reader = source.open(Optional.empty())) {
            // what a feed writer does: write the new version beside the old one, then move it over
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            for (Optional<Batch> batch = reader.next(); batch.isPresent(); batch = reader.next()) {
                for (Interpretation record : batch.get().records()) {
                    prices.add(((Observation) record).priceUsd().toPlainString());
                    files.add(((RawRecord.FileLine) record.raw()).fileSha256());
                }
                checkpoints.add(CsvCheckpoint.parse(batch.get().checkpoint()).orElseThrow());
            }
        }

        assertThat(prices).containsExactly("96000", "3400", "200");
        assertThat(files).containsOnly(sha256(old, old.length));
        assertThat(checkpoints).hasSize(2);
        for (CsvCheckpoint checkpoint : checkpoints) {
            assertThat(checkpoint.fileSha256()).as("the prefix of the file the lines came from")
                    .isEqualTo(sha256(old, (int) checkpoint.offset()));
        }
        assertThat(checkpoints.get(1).offset()).isEqualTo(old.length);
    }

    @Test
    void aFileWrittenOverInPlaceAfterTheReaderReadItWholeIsReadAsItWasWithCheckpointsHashingThatVersion()
            throws Exception {
        try (SourceReader reader = source(TWO_ROWS, 10).open(Optional.empty())) {
            writeOverInPlace(TWO_ROWS_CHANGED);
            Batch batch = reader.next().orElseThrow();

            assertThat(batch.records()).extracting(r -> ((Observation) r).priceUsd().toPlainString())
                    .containsExactly("96000", "3400");
            assertThat(CsvCheckpoint.parse(batch.checkpoint()).orElseThrow().fileSha256())
                    .as("the next run finds another file and reads it from its first line")
                    .isEqualTo(sha256(TWO_ROWS, TWO_ROWS.length));
            assertThat(reader.next()).isEmpty();
        }
    }

    /** What a writer that rewrites the file where it is does, as {@code cp} or a plain write over it does. */
    private void writeOverInPlace(byte[] content) throws Exception {
        try (FileChannel channel = FileChannel.open(dir.resolve("feed.csv"), StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(content));
        }
    }

    @Test
    void aFileAppendedToWhileItIsReadIsReadAsScannedWithoutComplaint() throws Exception {
        byte[] old = (HEADER + "BTC,Bitcoin,96000,,,2025-01-02T00:00:00Z\n").getBytes(StandardCharsets.UTF_8);
        CsvSource source = source(old, 10);
        Path file = dir.resolve("feed.csv");

        try (SourceReader reader = source.open(Optional.empty())) {
            Files.writeString(file, "ETH,Ethereum,3400,,,2025-01-02T00:00:00Z\n", StandardOpenOption.APPEND);
            Batch batch = reader.next().orElseThrow();
            assertThat(batch.records()).hasSize(1);
            assertThat(reader.next()).isEmpty();
        }
    }

    /**
     * A file written over in place (as {@code cp} does) after the run's first batch, while the reader still holds
     * more of the old version than that batch: every batch's checkpoint hashes the bytes its lines were read from,
     * so the next run, which finds another file at that offset, reads the new version from its first line. The
     * checkpoints hashed the file as it was when each batch ended, the new version's bytes under the old version's
     * lines, and the next run went on after them: the new version's lines before that offset were never read. The
     * reader then reads on into the new version's bytes, and the run fails before its last batch, whether the rows
     * end inside a batch or with one.
     */
    @Test
    void eachCheckpointHashesTheBytesItsLinesWereReadFromWhenTheFileIsWrittenOverInPlace() throws Exception {
        // the parser reads 64K characters ahead: the files are several times that
        for (int rows : new int[] {10_000, 10_050}) {
            byte[] old = rows(rows, "1");
            byte[] rewritten = rows(rows, "2");
            assertThat(rewritten).hasSameSizeAs(old);
            CsvSource source = source(old, 100);

            List<CsvCheckpoint> oldLines = new ArrayList<>();
            try (SourceReader reader = source.open(Optional.empty())) {
                Batch first = reader.next().orElseThrow();
                oldLines.add(CsvCheckpoint.parse(first.checkpoint()).orElseThrow());
                writeOverInPlace(rewritten);
                Batch batch = reader.next().orElseThrow();
                while (batch.records().stream().allMatch(r -> price(r).startsWith("1"))) {
                    oldLines.add(CsvCheckpoint.parse(batch.checkpoint()).orElseThrow());
                    batch = reader.next().orElseThrow();
                }
                assertThat(oldLines).as("batches of the old version's lines after the first").hasSizeGreaterThan(2);
                assertThatThrownBy(() -> {
                    while (reader.next().isPresent()) {
                        // the rest of the file, the new version's
                    }
                }).as(rows + " rows").isInstanceOf(SourceException.class)
                        .hasMessageStartingWith("feed.csv was written over while it was read");
            }

            for (CsvCheckpoint checkpoint : oldLines) {
                assertThat(checkpoint.fileSha256()).as("the checkpoint at offset " + checkpoint.offset())
                        .isEqualTo(sha256(old, (int) checkpoint.offset()));
            }
        }
    }

    private static String price(Interpretation record) {
        return ((Observation) record).priceUsd().toPlainString();
    }

    /** A header and {@code rows} rows, each price starting with {@code digit}, all rows as long. */
    private static byte[] rows(int rows, String digit) {
        StringBuilder text = new StringBuilder(HEADER);
        for (int i = 0; i < rows; i++) {
            text.append(String.format("C%05d,Coin %05d,%s%05d,,,2025-01-02T00:00:00Z\n", i, i, digit, i));
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] content, int length) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Arrays.copyOf(content, length)));
    }
}
