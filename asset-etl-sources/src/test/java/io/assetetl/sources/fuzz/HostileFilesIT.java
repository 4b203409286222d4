package io.assetetl.sources.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.assetetl.AssetEtl;
import io.assetetl.run.RunRequest;
import io.assetetl.run.RunResult;
import io.assetetl.run.RunStatus;
import io.assetetl.run.SourceDefinition;
import io.assetetl.spi.SourceConfig;
import io.assetetl.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded fuzzer feeding both CSV adapters hundreds of malformed files: no run may crash or hang, the valid rows
 * planted among the garbage must load, and the canonical tables may only ever hold valid values. Set
 * {@code -Dstress} for ten times as many files.
 */
class HostileFilesIT {

    private static final long SEED = 20_261_125L;
    private static final int FILES = Boolean.getBoolean("stress") ? 1200 : 120;
    private static final Duration PER_FILE = Duration.ofSeconds(30);
    private static final Charset CP1252 = Charset.forName("windows-1252");

    @TempDir
    Path dir;

    @Test
    void hostileFilesNeverCrashOrHangAndOnlyValidValuesReachCanonicalTables() throws Exception {
        TestDatabase db = TestDatabase.create();
        AssetEtl etl = AssetEtl.builder().dataSource(db.dataSource())
                .source(SourceDefinition.of("csv", "csv", SourceConfig.of(Map.of())))
                .source(SourceDefinition.of("csv_weird", "csv_weird", SourceConfig.of(Map.of())))
                .build();
        Random random = new Random(SEED);
        int failedCleanly = 0;
        long rejected = 0;
        List<String> planted = new ArrayList<>();

        for (int i = 0; i < FILES; i++) {
            Path file = dir.resolve("hostile-" + i + ".csv");
            String plantedSymbol = "PLANT" + Integer.toString(i, 36).toUpperCase();
            byte[] content = hostileFile(random, i % KINDS, plantedSymbol);
            Files.write(file, content);
            boolean hasPlant = new String(content, StandardCharsets.ISO_8859_1).contains(plantedSymbol + ",");
            for (String source : List.of("csv", "csv_weird")) {
                RunResult result = assertTimeoutPreemptively(PER_FILE,
                        () -> etl.run(RunRequest.of(source).withSetting("path", file.toString())),
                        () -> "the " + source + " adapter hung on file kind " + (file));
                assertThat(result.status()).isIn(RunStatus.SUCCEEDED, RunStatus.FAILED);
                if (MUST_SUCCEED.contains(i % KINDS)) {
                    assertThat(result.status()).as("%s on kind %d: bad rows are rejects, not a failed run (%s)",
                            source, i % KINDS, result.error()).isEqualTo(RunStatus.SUCCEEDED);
                }
                if (result.status() == RunStatus.FAILED) {
                    assertThat(result.error()).as("a failed run says why").isNotBlank();
                    failedCleanly++;
                } else {
                    assertThat(result.processed())
                            .isEqualTo(result.loaded() + result.unchanged() + result.rejected());
                    rejected += result.rejected();
                    if (hasPlant && i % KINDS == MIXED) {
                        planted.add(plantedSymbol);
                    }
                }
            }
        }

        long invalid = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT (SELECT count(*) FROM asset_sources WHERE NOT (price_usd > 0) OR btrim(source_symbol) = ''
                        OR price_usd = 'NaN'::numeric)
                     + (SELECT count(*) FROM asset_quotes WHERE NOT (price_usd > 0) OR price_usd = 'NaN'::numeric)
                     + (SELECT count(*) FROM assets WHERE canonical_symbol !~ '\\S' OR canonical_symbol <> upper(canonical_symbol))
                """).mapTo(Long.class).one());
        assertThat(invalid).as("invalid values in canonical tables").isZero();
        List<String> loaded = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT canonical_symbol FROM assets WHERE canonical_symbol LIKE 'PLANT%'").mapTo(String.class).list());
        assertThat(loaded).as("valid rows planted among garbage are loaded").containsAll(planted);
        assertThat(planted).isNotEmpty();
        System.out.printf("hostile-files: %d files x 2 adapters, 0 crashes, 0 hangs, %d runs failed cleanly,"
                + " %d rejects, %d planted valid rows loaded, 0 invalid canonical values (seed %d)%n",
                FILES, failedCleanly, rejected, planted.size(), SEED);
    }

    private static final int KINDS = 12;
    /**
     * Kinds whose header is fine, so every run must succeed with its bad rows rejected. The others (random bytes,
     * an empty file, headers without symbol and price) may fail the run, with an error that says why.
     */
    private static final java.util.Set<Integer> MUST_SUCCEED = java.util.Set.of(0, 2, 3, 4, 5, 6, 7, 10, 11);
    private static final int MIXED = 0;

    /** One malformed file of kind {@code kind}; kind {@link #MIXED} also holds one valid row. */
    private static byte[] hostileFile(Random r, int kind, String plant) {
        String header = "symbol,name,price_usd,market_cap_usd,volume_24h_usd,timestamp\n";
        StringBuilder s = new StringBuilder();
        switch (kind) {
            case MIXED -> {
                s.append(header);
                // no quotes here: an unbalanced quote would rightly swallow the planted row into a field
                for (int i = 0; i < 20; i++) {
                    s.append(garbageLine(r).replace("\"", "")).append('\n');
                }
                s.append(plant).append(",Planted Coin,12.5,1000,10,2024-01-01T00:00:00Z\n");
                for (int i = 0; i < 5; i++) {
                    s.append(garbageLine(r)).append('\n');
                }
            }
            case 1 -> {
                byte[] bytes = new byte[r.nextInt(4096) + 1];
                r.nextBytes(bytes);
                return bytes;
            }
            case 2 -> s.append(header).append("BTC\0,Bit\0coin,4\0.2,,,2024-01-01\n\0\0\0\n");
            case 3 -> s.append(header).append("\"BTC,Bitcoin,42000,1,1,2024-01-01T00:00:00Z\nETH,\"Eth\"er\"eum,3000\n");
            case 4 -> s.append(header).append("BTC,").append("x".repeat(1_048_576)).append(",42000,,,2024-01-01\n");
            case 5 -> {
                s.append(header);
                for (int i = 0; i < 100_000; i++) {
                    s.append(i == 0 ? "BTC" : ",c").append(i);
                }
                s.append('\n');
            }
            case 6 -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.writeBytes(header.getBytes(StandardCharsets.UTF_8));
                out.writeBytes("BTC,Bitcoin €,42000,,,2024-01-01\n".getBytes(StandardCharsets.UTF_8));
                out.writeBytes("ETH,Éthereum,3000,,,2024-01-01\n".getBytes(CP1252));
                out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'X', ',', (byte) 0xC3, '\n'});
                return out.toByteArray();
            }
            case 7 -> s.append(header);
            case 8 -> {
                return new byte[0];
            }
            case 9 -> s.append("a;b;c\n1;2;3\n;;;;;;\n");
            case 10 -> s.append(header).append("BTC,Bitcoin,NaN,,,2024-01-01\nETH,Ether,Infinity,,,2024-01-01\n"
                    + "SOL,Solana,-5,,,2024-01-01\nADA,Cardano,1e999999,,,2024-01-01\nXRP,Ripple,0,,,2024-01-01\n"
                    + "   ,Blank,1,,,2024-01-01\n");
            default -> {
                s.append(header);
                int lines = r.nextInt(50);
                for (int i = 0; i < lines; i++) {
                    s.append(garbageLine(r)).append(r.nextBoolean() ? "\n" : "\r\n");
                }
            }
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String garbageLine(Random r) {
        String alphabet = ",,,;\"\"'\t |$€%#-.eE0123456789NnAaBbTt\\\r";
        StringBuilder line = new StringBuilder();
        int length = r.nextInt(80);
        for (int i = 0; i < length; i++) {
            line.append(r.nextInt(10) == 0 ? (char) r.nextInt(0x3000) : alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return line.toString().replace("\n", "");
    }
}
