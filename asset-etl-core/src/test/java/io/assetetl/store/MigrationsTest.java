package io.assetetl.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import liquibase.Scope;
import liquibase.analytics.configuration.AnalyticsArgs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MigrationsTest {

    private static final String SETTING = Migrations.ANALYTICS_SETTING;

    @BeforeEach
    void nothingSetExplicitly() {
        assumeTrue(System.getenv("LIQUIBASE_ANALYTICS_ENABLED") == null && System.getProperty(SETTING) == null,
                "analytics are set explicitly in this environment");
    }

    @AfterEach
    void clearSetting() {
        System.clearProperty(SETTING);
    }

    @Test
    void liquibaseSendsNoUsageDataWhileMigrating() throws Exception {
        // Liquibase OSS leaves the setting empty, and then sends unless its remote settings say otherwise
        assertThat(AnalyticsArgs.ENABLED.getCurrentValue()).isNotEqualTo(Boolean.FALSE);
        Boolean enabled = Scope.child(Migrations.liquibaseScope(), () -> AnalyticsArgs.ENABLED.getCurrentValue());
        assertThat(enabled).isFalse();
    }

    @Test
    void theSettingNamedIsLiquibasesOwn() {
        assertThat(Migrations.ANALYTICS_SETTING).isEqualTo(AnalyticsArgs.ENABLED.getKey());
    }

    @Test
    void analyticsSetExplicitlyDecide() throws Exception {
        System.setProperty(SETTING, "true");
        Boolean enabled = Scope.child(Migrations.liquibaseScope(), () -> AnalyticsArgs.ENABLED.getCurrentValue());
        assertThat(enabled).isTrue();
        Migrations.turnOffLiquibaseAnalyticsUnlessSet();
        assertThat(System.getProperty(SETTING)).isEqualTo("true");
    }

    @Test
    void anApplicationCanTurnThemOffForTheWholeJvm() {
        Migrations.turnOffLiquibaseAnalyticsUnlessSet();
        assertThat(AnalyticsArgs.ENABLED.getCurrentValue()).isFalse();
    }
}
