package io.assetetl.sources.csv;

import io.assetetl.spi.SourceConfig;
import io.assetetl.spi.SourceFactory;
import io.assetetl.testing.AdapterContractTest;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The core adapter contract, run against the {@code csv_weird} source on a messy Windows-1252 file. */
class WeirdCsvSourceContractIT extends AdapterContractTest {

    static final String FIXTURE = """
            # exported by hand
            Ticker;Coin Name;Price (USD);Mkt Cap;24h Volume;Last Updated
            btc;Bitcoin;$96,512.40;$1.91T;38.7B;2025-01-15T12:05:00Z
             ETH ; Ethereum ; 3 321,09 $ ; 399.9B ; 21,4 B ; 2025-01-15 12:05:00

            ;Solana (SOL);187.90;$91.3B;4.2B;1736942700
            xrp;XRP;2.70;$156B;N/A;1736942700000
            avax;Avalanche;37.05;15.2B;;01/02/2025
            dot;Polkadot;N/A;10.5B;389M;2025-01-15T12:05:00Z
            ltc;Litecoin;-112.40;8.5B;812M;2025-01-15T12:05:00Z
            xmr;Monéro;201.10;3.7B;98M;2025-01-15
            near;NEAR Protocol;5.14;6.2B;398M
            doge;Dogecoin;0.3509;51.8B;-;15/01/2025 12:05
            """;

    @Override
    protected SourceFactory factory() {
        return new WeirdCsvSourceFactory();
    }

    @Override
    protected SourceConfig fixtureConfig(Path workDir) throws Exception {
        Path file = workDir.resolve("assets_weird.csv");
        Files.writeString(file, FIXTURE, Charset.forName("windows-1252"));
        return SourceConfig.of(Map.of("path", file.toString(), "batch_size", "3"));
    }
}
