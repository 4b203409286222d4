package io.assetetl.sources.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assetetl.spi.SourceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileReadFailureTest {

    @TempDir
    Path dir;

    @Test
    void aScanStoppedByAnInterruptSaysSoRatherThanThatTheFileCannotBeReadForNull() throws Exception {
        Path file = dir.resolve("assets.csv");
        Files.writeString(file, "symbol,price\nBTC,1\n");
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> FileScan.of(file, -1)).isInstanceOf(SourceException.class)
                    .hasMessage("interrupted while reading " + file);
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aFailureWithoutAMessageIsNamedByItsKind() {
        SourceException failure = FileReadFailure.of(Path.of("a.csv"), new IOException());

        assertThat(failure).hasMessage("cannot read a.csv: IOException");
    }
}
