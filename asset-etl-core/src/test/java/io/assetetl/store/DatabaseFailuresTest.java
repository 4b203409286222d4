package io.assetetl.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class DatabaseFailuresTest {

    @Test
    void aFailedStatementIsDescribedInTheDriversWordsWithoutTheStatementItQuotes() {
        SQLException driver = new SQLException("FATAL: terminating connection due to administrator command", "57P01");
        RuntimeException jdbi = new IllegalStateException("org.postgresql.util.PSQLException: FATAL: terminating"
                + " connection due to administrator command [statement:\"INSERT INTO asset_summaries …\","
                + " arguments:{positional:{0:'{\"symbol\":\"BTC\"}'}}]", driver);

        assertThat(DatabaseFailures.describe(new RuntimeException("claim failed", jdbi)))
                .isEqualTo("FATAL: terminating connection due to administrator command");
    }

    @Test
    void anyOtherFailureIsDescribedByItsMessageOrElseItsClass() {
        assertThat(DatabaseFailures.describe(new IllegalStateException("pool closed"))).isEqualTo("pool closed");
        assertThat(DatabaseFailures.describe(new NullPointerException())).isEqualTo("NullPointerException");
    }
}
