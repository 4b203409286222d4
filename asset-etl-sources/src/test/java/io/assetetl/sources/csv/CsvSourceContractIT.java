package io.assetetl.sources.csv;

import io.assetetl.spi.SourceConfig;
import io.assetetl.spi.SourceFactory;
import io.assetetl.testing.AdapterContractTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The core adapter contract, run against the {@code csv} source on a file of several batches with bad rows. */
class CsvSourceContractIT extends AdapterContractTest {

    static final String FIXTURE = """
            symbol,name,price_usd,market_cap_usd,volume_24h_usd,timestamp
            BTC,Bitcoin,96432.18,1910412000000,38512000000,2025-01-15T12:00:00Z
            ETH,Ethereum,3318.42,399804000000,21406000000,2025-01-15T12:00:00Z
            USDT,Tether,0.9998,137215000000,62318000000,2025-01-15T12:00:00Z
            ,No Symbol,1.5,,,2025-01-15T12:00:00Z
            XRP,XRP,2.71,156120000000,9871000000,2025-01-15T12:00:00Z
            BNB,"BNB, the exchange coin",701.35,102310000000,1542000000,2025-01-15T12:00:00Z
            SOL,Solana,-187.64,91205000000,4213000000,2025-01-15T12:00:00Z
            DOGE,"Doge
            coin",0.3514,51904000000,3172000000,2025-01-15T12:00:00Z
            ADA,Cardano,0.9931,34912000000,1281000000,yesterday
            TRX,TRON,0.2473,21308000000
            LINK,Chainlink,20.87,13318000000,1121000000,2025-01-15T12:00:00Z
            AVAX,Avalanche,37.12,,,
            """;

    @Override
    protected SourceFactory factory() {
        return new CsvSourceFactory();
    }

    @Override
    protected SourceConfig fixtureConfig(Path workDir) throws Exception {
        Path file = workDir.resolve("assets.csv");
        Files.writeString(file, FIXTURE.replace("\n", "\r\n"), StandardCharsets.UTF_8);
        return SourceConfig.of(Map.of("path", file.toString(), "batch_size", "4"));
    }
}
