package io.assetetl.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What an adapter hands out as JSON is refused where it is made when it is not, not later by the database. */
class AdapterValuesTest {

    @ParameterizedTest
    @ValueSource(strings = {"next=3", "", "  ", "{\"next\":3", "{\"next\":3} {}", "{next:3}", "'a'"})
    void aCheckpointPositionThatIsNotJsonIsRefused(String position) {
        assertThatThrownBy(() -> Checkpoint.of(position)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("checkpoint position is not JSON: '");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"next\":3}", " {\"file_sha256\":\"ab\",\"line\":12} ", "[1,2]", "\"a text\"", "42"})
    void aCheckpointPositionThatIsJsonIsKeptAsGiven(String position) {
        assertThat(Checkpoint.of(position).position()).isEqualTo(position);
    }

    @Test
    void aPayloadThatIsNotJsonIsRefusedNamingItsRecord() {
        assertThatThrownBy(() -> new RawRecord.Keyed("feed:7", "BTC,100"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("payload of record feed:7 is not JSON: 'BTC,100'");
        assertThatThrownBy(() -> new RawRecord.ApiItem("btc@1", 2, 5, java.time.Instant.EPOCH, "not json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("payload of page 2 item 5 is not JSON: 'not json'");
    }

    @Test
    void aRecordKeyLongerThanTheRawTablesIndexHoldsIsRefusedWhereItIsMade() {
        assertThat(new RawRecord.Keyed("k".repeat(512), "{}").recordKey()).hasSize(512);
        assertThatThrownBy(() -> new RawRecord.Keyed("k".repeat(513), "{}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("record key is 513 characters long, longer than 512 (a long key, such as a"
                        + " whole line, is to be hashed): 'kkk");
        assertThatThrownBy(() -> new RawRecord.ApiItem("k".repeat(6000), 1, 0, java.time.Instant.EPOCH, "{}"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPayloadWithANumberOfThousandsOfDigitsIsJson() {
        String payload = "{\"supply\":" + "9".repeat(1500) + "}";

        assertThat(new RawRecord.Keyed("k", payload).payload()).isEqualTo(payload);
    }

    @Test
    void aLongTextIsAbbreviatedInTheMessage() {
        assertThatThrownBy(() -> Checkpoint.of("x".repeat(10_000)))
                .hasMessage("checkpoint position is not JSON: '" + "x".repeat(80) + "…'");
    }

    @Test
    void aRejectReasonLongerThanAnyCodeIsRefusedWhereItIsMade() {
        RawRecord raw = new RawRecord.Keyed("feed:7", "{}");
        assertThat(Rejection.of("r".repeat(64), "bad", raw).reason()).hasSize(64);
        assertThatThrownBy(() -> Rejection.of("r".repeat(65), "bad", raw))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("reason must be a snake_case code of at most 64 characters; this one has 65: '"
                        + "r".repeat(65) + "'");
        assertThatThrownBy(() -> Rejection.of("r".repeat(3_000), "bad", raw))
                .hasMessageEndingWith(" has 3000: '" + "r".repeat(80) + "…'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Bad", "1st", "bad reason", "bad-reason", "bad\0"})
    void aRejectReasonThatIsNoSnakeCaseCodeIsRefused(String reason) {
        RawRecord raw = new RawRecord.Keyed("feed:7", "{}");
        assertThatThrownBy(() -> Rejection.of(reason, "bad", raw)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("reason must be a snake_case code: " + reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "missing_symbol", "x9", "a_"})
    void aSnakeCaseReasonIsKept(String reason) {
        assertThat(Rejection.of(reason, "bad", new RawRecord.Keyed("feed:7", "{}")).reason()).isEqualTo(reason);
    }
}
