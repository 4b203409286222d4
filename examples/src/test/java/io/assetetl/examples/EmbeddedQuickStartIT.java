package io.assetetl.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetetl.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EmbeddedQuickStartIT {

    @Test
    void ingestsBothSampleFilesAndPrintsEveryAssetWithItsConsensus() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        EmbeddedQuickStart.quickStart(TestDatabase.createEmpty().dataSource(), Path.of("data"),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));

        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("csv       succeeded").contains("csv_weird succeeded");
        assertThat(out).containsPattern("(?m)^BTC\\s+Bitcoin\\s+consensus=\\d+(\\.\\d+)? sources=2");
        assertThat(out).containsPattern("(?m)^ETH\\s+.*sources=2");
    }
}
