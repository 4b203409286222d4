package io.assetetl.service.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RequestContextFilterTest {

    @Test
    void newRequestIdsAreRandomVersion4UuidsThatDoNotRepeat() {
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            UUID id = RequestContextFilter.newId();
            assertThat(id.version()).isEqualTo(4);
            assertThat(id.variant()).isEqualTo(2);
            ids.add(id);
        }

        assertThat(ids).hasSize(100_000);
        assertThat(UUID.fromString(ids.iterator().next().toString())).isIn(ids);
    }
}
