package io.assetetl.sources.csv;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetetl.model.Checkpoint;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CheckpointStreamTest {

    @Test
    void aFilesCheckpointsAreOfAStreamNamedByItsNameAndAHashOfItsAbsolutePathHoweverThePathIsWritten() {
        Path cwd = Path.of("").toAbsolutePath();

        assertThat(CsvSource.streamOf(Path.of("data/../data/./assets.csv")))
                .isEqualTo(CsvSource.streamOf(cwd.resolve("data/assets.csv")))
                .matches("assets\\.csv@[0-9a-f]{16}");
        assertThat(CsvSource.streamOf(Path.of("/srv/feeds/a.csv"))).as("the first digits of the path's SHA-256")
                .isEqualTo("a.csv@2e3a43180e5c2cd8")
                .isNotEqualTo(CsvSource.streamOf(Path.of("/srv/other/a.csv")));
    }

    @Test
    void aNameTooLongForAStreamIsReplacedByTheWholeHash() {
        Path deep = Path.of("/data", "f".repeat(Checkpoint.MAX_STREAM_LENGTH) + ".csv");

        String stream = CsvSource.streamOf(deep);

        assertThat(stream).matches("path-sha256:[0-9a-f]{64}").isEqualTo(CsvSource.streamOf(deep))
                .isNotEqualTo(CsvSource.streamOf(deep.resolveSibling("g" + deep.getFileName())));
    }
}
