package io.assetetl.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assetetl.spi.SourceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A source's name is a key of the run ledger and of every table of its rows: one that cannot be is refused. */
class SourceDefinitionTest {

    @ParameterizedTest
    @ValueSource(strings = {"csv", "csv_weird", "coin-gecko2", "a"})
    void aNameOfLowerCaseLettersDigitsUnderscoresAndHyphensIsValid(String name) {
        assertThat(SourceDefinition.of(name, "csv", SourceConfig.empty()).name()).isEqualTo(name);
    }

    @Test
    void aNameOf64CharactersIsValid() {
        String name = "s" + "0123456789".repeat(6) + "abc";

        assertThat(SourceDefinition.requireValidName(name)).hasSize(64);
    }

    @Test
    void aLongerNameIsRefusedUpFrontSayingHowLongItIs() {
        String name = "s" + "0123456789".repeat(300);

        assertThatThrownBy(() -> SourceDefinition.of(name, "csv", SourceConfig.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("source name must be at most 64 characters long; this one has 3001: '"
                        + name.substring(0, 80) + "…'");
        assertThatThrownBy(() -> SourceDefinition.requireValidName(name.substring(0, 65)))
                .hasMessageStartingWith("source name must be at most 64 characters long; this one has 65: 's0123");
    }

    @Test
    void aNameThatIsNotLowerCaseIsRefusedAsBefore() {
        assertThatThrownBy(() -> SourceDefinition.requireValidName("Desk"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("source name must be a lower-case letter, then lower-case letters, digits, '_' or '-':"
                        + " Desk");
    }
}
