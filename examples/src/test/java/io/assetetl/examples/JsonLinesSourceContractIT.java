package io.assetetl.examples;

import io.assetetl.spi.SourceConfig;
import io.assetetl.spi.SourceFactory;
import io.assetetl.testing.AdapterContractTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The example adapter passes the same contract kit as the built-in ones. */
class JsonLinesSourceContractIT extends AdapterContractTest {

    @Override
    protected SourceFactory factory() {
        return new JsonLinesSourceFactory();
    }

    @Override
    protected SourceConfig fixtureConfig(Path workDir) throws Exception {
        Path feed = workDir.resolve("prices.jsonl");
        Files.writeString(feed, """
                {"ticker":"BTC","usd":64000.5,"ts":"2024-05-01T00:00:00Z"}
                {"ticker":"ETH","usd":3100,"ts":"2024-05-01T00:00:00Z"}
                {"ticker":"SOL","usd":-1,"ts":"2024-05-01T00:00:00Z"}
                not json at all
                {"ticker":"BTC","usd":64100,"ts":"2024-05-01T01:00:00Z"}
                {"usd":1,"ts":"2024-05-01T01:00:00Z"}
                {"ticker":"ETH","usd":3105.25,"ts":"2024-05-01T01:00:00Z"}
                """);
        return SourceConfig.of(Map.of("path", feed.toString(), "batch_size", "2"));
    }
}
