package io.assetetl.query;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.postgresql.PGNotification;

class SummaryChangesTest {

    @Test
    void checksOfAnyServicesConnectionTellOfNoChange() {
        assertThat(SummaryChanges.anyChange(null)).isFalse();
        assertThat(SummaryChanges.anyChange(new PGNotification[] {notification("check 1f3a"),
            notification("check 77b0")})).isFalse();
        assertThat(SummaryChanges.anyChange(new PGNotification[] {notification("check 1f3a"),
            notification("2")})).isTrue();
    }

    private static PGNotification notification(String payload) {
        return new PGNotification() {
            @Override
            public String getName() {
                return "asset_summaries_changed";
            }

            @Override
            public int getPID() {
                return 1;
            }

            @Override
            public String getParameter() {
                return payload;
            }
        };
    }
}
