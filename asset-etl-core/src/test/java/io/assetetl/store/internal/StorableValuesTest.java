package io.assetetl.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetetl.model.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StorableValuesTest {

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"a\":1}", "[1e131071, -1e-16383, 0e-16383, 0e1000000, 1.5e-16382]",
        "{\"a\":0.000123, \"b\":-12.5E+3, \"c\":true, \"d\":null}", "42", "\"1e1000000\"",
        "{\"1e-99999\":\"x\\\"1e99999\"}", "{\"a\":\"\\\\\",\"b\":1}"})
    void findsNoNumberInAJsonTextThatPostgresqlStores(String json) {
        assertThat(StorableValues.unstorableNumber(json)).isEqualTo(-1);
    }

    @Test
    void findsTheFirstNumberPostgresqlCannotStore() {
        assertThat(StorableValues.unstorableNumber("{\"a\":1,\"b\":1e1000000,\"c\":1e-99999}")).isEqualTo(11);
        assertThat(StorableValues.unstorableNumber("[\"\\\\\",1e131072]")).isEqualTo(6);
        assertThat(StorableValues.unstorableNumber("[0.5e-16383]")).isEqualTo(1);
        assertThat(StorableValues.unstorableNumber("[-0.0e-16383]")).isEqualTo(1);
        assertThat(StorableValues.unstorableNumber("[" + "9".repeat(131_073) + "]")).isEqualTo(1);
        assertThat(StorableValues.unstorableNumber("[0." + "0".repeat(16_384) + "]")).isEqualTo(1);
        assertThat(StorableValues.unstorableNumber("[0e99999999999999999999]")).isEqualTo(1);
        // PostgreSQL 15 refuses a zero with this exponent, 17 stores it: refused for both
        assertThat(StorableValues.unstorableNumber("[0e1073741823]")).isEqualTo(1);
        assertThat(StorableValues.unstorableNumber("[0e1073741822]")).isEqualTo(-1);
    }

    @Test
    void showsANumberAtMost40CharactersLong() {
        assertThat(StorableValues.numberText("[1E+200000]", 1)).isEqualTo("1E+200000");
        assertThat(StorableValues.numberText("[" + "9".repeat(50) + "]", 1)).isEqualTo("9".repeat(40) + "…");
    }

    @Test
    void aCheckpointIsStorableUnlessItsStreamOrPositionIsNot() {
        assertThat(StorableValues.checkpointProblem(new Checkpoint("coins", "{\"page\":1e5}"))).isEmpty();
        assertThat(StorableValues.checkpointProblem(new Checkpoint("x".repeat(512), "{}"))).isEmpty();
        assertThat(StorableValues.checkpointProblem(new Checkpoint("coins \uD83D\uDE00", "{}"))).isEmpty();
        assertThat(StorableValues.checkpointProblem(new Checkpoint("x".repeat(513), "{}"))).get().asString()
                .startsWith("whose stream name is 513 characters long, longer than 512");
        assertThat(StorableValues.checkpointProblem(new Checkpoint("\uDE00coins", "{}"))).get().asString()
                .isEqualTo("whose stream name holds half of a surrogate pair (U+DE00), which no text can store:"
                        + " '\uFFFDcoins'");
    }

    @Test
    void aRecordKeyIsStoredAsItIsUnlessItHoldsANulOrHalfASurrogatePairWhichAreMarkedWithADigestOfTheKey() {
        assertThat(StorableValues.storableKey("bitcoin@1714443000#ab12")).isEqualTo("bitcoin@1714443000#ab12");
        assertThat(StorableValues.storableKey("k\uD83D\uDE00 \uFFFD?")).isEqualTo("k\uD83D\uDE00 \uFFFD?");
        String nul = StorableValues.storableKey("k\0");
        String lowHalf = StorableValues.storableKey("\uDE00k\uD83D\uDE00");
        String highHalf = StorableValues.storableKey("\uD83Dk\uD83D\uDE00");

        assertThat(nul).matches("k\uFFFD#[0-9a-f]{16}").isEqualTo(StorableValues.storableKey("k\0"));
        assertThat(lowHalf).matches("\uFFFDk\uD83D\uDE00#[0-9a-f]{16}");
        assertThat(highHalf).matches("\uFFFDk\uD83D\uDE00#[0-9a-f]{16}").isNotEqualTo(lowHalf);
        assertThat(StorableValues.storableKey("k\0\0")).isNotEqualTo(nul).startsWith("k\uFFFD\uFFFD#");
    }

    @Test
    void aKeyGivenInTheShapeOfAMarkedKeyIsMarkedTooSoThatItNeverBecomesTheKeyOfAnother() {
        // anyone can compute the mark of "k\0": given as it is, that text was stored as the NUL key's stored key
        String nul = StorableValues.storableKey("k\0");
        String lookalike = StorableValues.storableKey(nul);

        assertThat(lookalike).isNotEqualTo(nul).startsWith(nul + "#").matches("k\uFFFD#[0-9a-f]{16}#[0-9a-f]{16}");
        assertThat(StorableValues.storableKey(lookalike)).isNotEqualTo(lookalike);
        assertThat(StorableValues.storableKey("k\uFFFD#0123456789abcdef0")).isEqualTo("k\uFFFD#0123456789abcdef0");
        assertThat(StorableValues.storableKey("k#0123456789abcdef")).isEqualTo("k#0123456789abcdef");
        assertThat(StorableValues.storableKey("k\uFFFD#0123456789ABCDEF")).isEqualTo("k\uFFFD#0123456789ABCDEF");
    }
}
