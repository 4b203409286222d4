package io.assetetl.service.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.configuration.ConfigurationException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Dropwizard's configuration errors, as its parser and validator word them, said in one line each. */
class ConfigurationErrorsTest {

    @Test
    void anUnknownSettingNamesTheClosestKnownOne() {
        assertThat(ConfigurationErrors.error("""
                Unrecognized field at: etlIntervall
                    Did you mean?:
                      - etlInterval
                      - server
                      - logFormat
                      - metrics
                      - database
                        [11 more]"""))
                .isEqualTo("etlIntervall: no such setting (did you mean etlInterval?)");
        assertThat(ConfigurationErrors.error("Unrecognized field at: zzz"))
                .isEqualTo("zzz: no such setting");
    }

    @Test
    void aValueTheSettingRefusesKeepsOnlyTheSettingAndItsReason() {
        assertThat(ConfigurationErrors.error("Failed to parse configuration at: etlInterval; Cannot construct instance"
                + " of `io.assetetl.service.EtlInterval`, problem: ETL interval (etlInterval, ETL_INTERVAL) must be an"
                + " ISO-8601 duration such as PT15M, or off: 15m\n at [Source: UNKNOWN; byte offset: #UNKNOWN]"
                + " (through reference chain: io.assetetl.service.AssetServiceConfiguration[\"etlInterval\"])"))
                .isEqualTo("etlInterval: ETL interval (etlInterval, ETL_INTERVAL) must be an ISO-8601 duration such"
                        + " as PT15M, or off: 15m");
        assertThat(ConfigurationErrors.error("Failed to parse configuration at: server.applicationConnectors.[0];"
                + " Could not resolve type id 'htp' as a subtype of `io.dropwizard.jetty.ConnectorFactory`: known type"
                + " ids = [http, https] (for POJO property 'applicationConnectors')\n at [Source: UNKNOWN; byte"
                + " offset: #UNKNOWN] (through reference chain: io.assetetl.service.AssetServiceConfiguration"
                + "[\"server\"]->io.dropwizard.core.server.DefaultServerFactory[\"applicationConnectors\"]"
                + "->java.util.ArrayList[0])"))
                .isEqualTo("server.applicationConnectors.[0]: Could not resolve type id 'htp' as a subtype of"
                        + " `io.dropwizard.jetty.ConnectorFactory`: known type ids = [http, https] (for POJO property"
                        + " 'applicationConnectors')");
    }

    @Test
    void aValueOfTheWrongTypeSaysWhichTypeWasExpected() {
        assertThat(ConfigurationErrors.error("Incorrect type of value at: server.applicationConnectors.[0].port;"
                + " is of type: String, expected: int"))
                .isEqualTo("server.applicationConnectors.[0].port: expected a value of type int, got a String");
    }

    @Test
    void malformedYamlKeepsWhereAndWhatButNotTheQuotedLines() {
        assertThat(ConfigurationErrors.error("Malformed YAML at line: 6, column: 17; while parsing a flow sequence\n"
                + " in 'reader', line 6, column 12:\n    coingecko: [1, 2\n               ^\n"
                + "expected ',' or ']', but got <stream end>\n in 'reader', line 7, column 1:\n    \n    ^\n\n"
                + " at [Source: (FileInputStream); line: 6, column: 17]"))
                .isEqualTo("Malformed YAML at line: 6, column: 17; while parsing a flow sequence; expected ',' or ']',"
                        + " but got <stream end>");
    }

    @Test
    void describesTheFileAndEveryErrorInOneLine() {
        ConfigurationException e = new ConfigurationException("/etc/asset-etl.yml", List.of(
                "server.adminMinThreads must be greater than or equal to 1",
                "server.applicationConnectors[0].port must be between 1 and 65535")) {
        };

        assertThat(ConfigurationErrors.describe(e)).isEqualTo("/etc/asset-etl.yml:"
                + " server.adminMinThreads must be greater than or equal to 1;"
                + " server.applicationConnectors[0].port must be between 1 and 65535");
    }
}
