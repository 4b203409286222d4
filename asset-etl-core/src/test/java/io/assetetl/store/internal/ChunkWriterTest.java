package io.assetetl.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkWriterTest {

    @Test
    void ordersAChunksSymbolGroupsByTheirAssetIds() {
        assertThat(ChunkWriter.groupsById(new long[] {42, 7, 19, 1})).containsExactly(3, 1, 2, 0);
        assertThat(ChunkWriter.groupsById(new long[] {5})).containsExactly(0);
        assertThat(ChunkWriter.groupsById(new long[0])).isEmpty();
    }

    @Test
    void givesEachGroupOnePlaceWhateverTheIdsOrder() {
        Random random = new Random(11);
        long[] ids = random.longs(2_000, 1, Long.MAX_VALUE).distinct().toArray();
        int[] byId = ChunkWriter.groupsById(ids);
        assertThat(byId).hasSize(ids.length);
        assertThat(Arrays.stream(byId).distinct().count()).isEqualTo(ids.length);
        for (int k = 1; k < byId.length; k++) {
            assertThat(ids[byId[k]]).isGreaterThan(ids[byId[k - 1]]);
        }
    }

    @Test
    void refusesTwoGroupsOfOneAsset() {
        assertThatThrownBy(() -> ChunkWriter.groupsById(new long[] {3, 9, 3}))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("asset id 3");
        assertThatThrownBy(() -> ChunkWriter.groupsById(new long[] {9, 9}))
                .isInstanceOf(IllegalStateException.class);
    }
}
