package io.assetetl.service.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.jdbi.v3.core.ConnectionException;
import org.junit.jupiter.api.Test;

class NoRunErrorTest {

    @Test
    void aStatementThatFailedBeforeARunIsSaidInTheDriversWordsWithoutWhatJdbiQuotes() {
        ConnectionException lost = new ConnectionException(new SQLException(
                "FATAL: terminating connection due to administrator command", "57P01"));

        assertThat(EtlCommand.noRunError(lost))
                .isEqualTo("database unavailable: FATAL: terminating connection due to administrator command");
    }

    @Test
    void anyOtherFailureBeforeARunKeepsItsOwnMessage() {
        IllegalStateException migration = new IllegalStateException("schema migration failed: no route to host",
                new SQLException("no route to host", "08001"));

        assertThat(EtlCommand.noRunError(migration)).isEqualTo("schema migration failed: no route to host");
        assertThat(EtlCommand.noRunError(new IllegalArgumentException()))
                .isEqualTo("java.lang.IllegalArgumentException");
    }
}
