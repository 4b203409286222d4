package io.assetetl.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetetl.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RunLedgerTourIT {

    @Test
    void printsBothRunsNewestFirstAndTheCheckpoint() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        RunLedgerTour.tour(TestDatabase.createEmpty().dataSource(), new PrintStream(bytes, true, StandardCharsets.UTF_8));

        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).containsSubsequence(
                "succeeded processed=0 loaded=0 unchanged=0 rejected=0",
                "succeeded processed=3 loaded=2 unchanged=0 rejected=1");
        assertThat(out).containsPattern("checkpoint feed/default = \\{\"line\": 3, \"first\": \"[0-9a-f]{64}\"}");
    }
}
