package io.assetetl.service.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Random;

/** Writes a deterministic quotes CSV (the benchmark's shape): {@code symbols} symbols x hourly rows. */
final class QuotesFile {

    private QuotesFile() {
    }

    static Path write(Path file, int rows, int symbols, long seed) {
        Random random = new Random(seed);
        String[] names = new String[symbols];
        for (int i = 0; i < symbols; i++) {
            names[i] = "S" + Integer.toString(i, 36).toUpperCase(Locale.ROOT) + "X";
        }
        Instant start = Instant.parse("2024-01-01T00:00:00Z");
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("symbol,name,price_usd,market_cap_usd,volume_24h_usd,timestamp\n");
            for (int row = 0; row < rows; row++) {
                String symbol = names[row % symbols];
                double price = 0.0001 + random.nextDouble() * 60000;
                out.write(String.format(Locale.ROOT, "%s,%s Coin,%.8f,%.2f,%.2f,%s%n", symbol, symbol, price,
                        price * 1e6, random.nextDouble() * 1e9, start.plus(row / symbols, ChronoUnit.HOURS)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
