package io.assetetl.service.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ReadCacheTest {

    private final ReadCache<String, String> cache = new ReadCache<>(1 << 20, Duration.ofHours(1), String::length);
    private final List<String> reads = new ArrayList<>();

    private Supplier<String> reading(String answer) {
        return () -> {
            reads.add(answer);
            return answer;
        };
    }

    @Test
    void untilChangesAreHeardEveryRequestIsRead() {
        assertThat(cache.get("page-1", reading("a"))).isEqualTo("a");
        assertThat(cache.get("page-1", reading("b"))).isEqualTo("b");

        assertThat(reads).containsExactly("a", "b");
        assertThat(cache.isListening()).isFalse();
    }

    @Test
    void whileListeningAnAnswerIsReadOncePerRequest() {
        cache.listening();

        assertThat(cache.get("page-1", reading("a"))).isEqualTo("a");
        assertThat(cache.get("page-1", reading("b"))).isEqualTo("a");
        assertThat(cache.get("page-2", reading("c"))).isEqualTo("c");

        assertThat(reads).containsExactly("a", "c");
        assertThat(cache.stats().hitCount()).isEqualTo(1);
    }

    @Test
    void aChangeMakesEveryRequestReadAgain() {
        cache.listening();
        cache.get("page-1", reading("a"));
        cache.get("page-2", reading("b"));

        cache.changed();

        assertThat(cache.get("page-1", reading("a2"))).isEqualTo("a2");
        assertThat(cache.get("page-2", reading("b2"))).isEqualTo("b2");
        assertThat(cache.get("page-1", reading("a3"))).isEqualTo("a2");
    }

    @Test
    void anAnswerReadWhileAChangeWasHeardServesOnlyItsOwnRequest() {
        cache.listening();

        String answer = cache.get("page-1", () -> {
            cache.changed(); // the change commits and is heard while this request reads
            return "before the change";
        });

        assertThat(answer).isEqualTo("before the change");
        assertThat(cache.get("page-1", reading("after the change"))).isEqualTo("after the change");
    }

    @Test
    void afterTheConnectionIsLostEveryRequestIsReadUntilItListensAgain() {
        cache.listening();
        cache.get("page-1", reading("a"));

        cache.lost(new IllegalStateException("connection reset"));
        assertThat(cache.get("page-1", reading("b"))).isEqualTo("b");
        assertThat(cache.get("page-1", reading("c"))).isEqualTo("c");

        cache.listening();
        assertThat(cache.get("page-1", reading("d"))).isEqualTo("d");
        assertThat(cache.get("page-1", reading("e"))).isEqualTo("d");
        assertThat(reads).containsExactly("a", "b", "c", "d");
    }

    @Test
    void aFailedReadIsNotKept() {
        cache.listening();

        assertThatThrownBy(() -> cache.get("page-1", () -> {
            throw new IllegalStateException("database down");
        })).isInstanceOf(IllegalStateException.class).hasMessage("database down");

        assertThat(cache.get("page-1", reading("a"))).isEqualTo("a");
        assertThat(reads).containsExactly("a");
    }
}
