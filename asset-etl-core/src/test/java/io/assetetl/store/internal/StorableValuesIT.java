package io.assetetl.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetetl.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The engine's check of a payload's numbers says what PostgreSQL itself says of them. */
class StorableValuesIT {

    @Test
    void findsUnstorableTheNumbersThatPostgresqlRefusesInJsonbAndNoOthers() {
        List<String> numbers = new ArrayList<>(List.of("0", "-0", "1", "0.5", "1e1000", "1e1001", "1e-1001",
                "0e1001", "1e131071", "1e131072", "1e-16383", "1e-16384", "0e-16383", "0e-16384", "0.5e-16383",
                "1.5e-16382", "-0.0e-16383", "1e1000000", "0e1073741822", "0e-1073741823",
                "12.5E+131069", "12.5E+131070", "0.00012e131075", "0.00012e131076", "1E-0", "1e+0",
                "9".repeat(131_072), "9".repeat(131_073), "0." + "0".repeat(16_383), "0." + "0".repeat(16_384),
                "0." + "0".repeat(16_384) + "e1", "1" + "0".repeat(131_071) + ".5", "1" + "0".repeat(131_072)));
        Random random = new Random(5);
        for (int i = 0; i < 400; i++) {
            StringBuilder number = new StringBuilder(random.nextBoolean() ? "-" : "");
            number.append(random.nextInt(3) == 0 ? "0" : Integer.toString(1 + random.nextInt(999)));
            if (random.nextBoolean()) {
                number.append('.').append("0".repeat(random.nextInt(4))).append(random.nextInt(100));
            }
            int around = random.nextBoolean() ? 131_072 : -16_383;
            number.append(random.nextBoolean() ? 'e' : 'E').append(around + random.nextInt(9) - 4);
            numbers.add(number.toString());
        }
        List<String> texts = numbers.stream().map(n -> "{\"n\":" + n + "}").toList();

        List<Boolean> postgresql = TestDatabase.create().jdbi().withHandle(h -> h.createQuery("""
                SELECT pg_input_is_valid(t, 'jsonb') FROM unnest(CAST(:texts AS text[])) WITH ORDINALITY AS x (t, n)
                ORDER BY n""").bind("texts", texts.toArray(String[]::new)).mapTo(Boolean.class).list());

        for (int i = 0; i < texts.size(); i++) {
            assertThat(StorableValues.unstorableNumber(texts.get(i)) < 0).as(numbers.get(i).length() > 60
                    ? numbers.get(i).substring(0, 60) + "…" : numbers.get(i)).isEqualTo(postgresql.get(i));
        }
        assertThat(postgresql).contains(true, false);
    }
}
