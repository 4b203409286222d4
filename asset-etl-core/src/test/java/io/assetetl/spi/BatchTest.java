package io.assetetl.spi;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assetetl.model.Checkpoint;
import io.assetetl.model.DriftEvent;
import io.assetetl.model.Interpretation;
import io.assetetl.model.RawRecord;
import io.assetetl.model.Rejection;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A batch an adapter makes with a null in it is refused where it is made, saying where the null is. */
class BatchTest {

    private static final Interpretation REJECTED = Rejection.of("bad_row", "bad", new RawRecord.Keyed("k", "{}"));

    @Test
    void aNullRecordIsRefusedNamingItsPlace() {
        assertThatThrownBy(() -> Batch.of(Arrays.asList(REJECTED, REJECTED, null), Checkpoint.of("{}")))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("a batch holds null for its record 3 of 3: a reader gives an Observation or a Rejection"
                        + " for every record it read");
    }

    @Test
    void aNullDriftEventIsRefusedNamingItsPlace() {
        List<DriftEvent> events = Arrays.asList(null, new DriftEvent("field_added", null, "x", 1.0, "ignored"));

        assertThatThrownBy(() -> new Batch(List.of(REJECTED), events, Checkpoint.of("{}")))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("a batch holds null for its drift event 1 of 2");
    }
}
