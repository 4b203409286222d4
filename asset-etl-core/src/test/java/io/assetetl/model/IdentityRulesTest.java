package io.assetetl.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class IdentityRulesTest {

    private final IdentityRules rules = IdentityRules.defaults();

    @Test
    void canonicalSymbolsAreTrimmedUpperCaseAfterAliases() {
        assertThat(rules.canonicalSymbol("  btc ")).contains("BTC");
        assertThat(rules.canonicalSymbol("xbt")).contains("BTC");
        assertThat(rules.canonicalSymbol("Eth")).contains("ETH");
    }

    @Test
    void blankSymbolsHaveNoCanonicalForm() {
        assertThat(rules.canonicalSymbol("   ")).isEmpty();
        assertThat(rules.canonicalSymbol(null)).isEmpty();
    }

    @Test
    void theLargestCoinsArePinnedToTheirCoinGeckoIds() {
        assertThat(rules.pinnedOwner("BTC")).contains("bitcoin");
        assertThat(rules.pinnedOwner("ETH")).contains("ethereum");
        assertThat(rules.pinnedOwner("USDT")).contains("tether");
        assertThat(rules.pinnedOwner("USDC")).contains("usd-coin");
        assertThat(rules.pinnedOwner("PEPE")).isEmpty();
    }

    @Test
    void addedPinsReplaceBuiltInOnesOfTheSameSymbol() {
        IdentityRules custom = rules.withPins(Map.of("btc", "wrapped-btc-on-x", "new", "new-coin"));
        assertThat(custom.pinnedOwner("BTC")).contains("wrapped-btc-on-x");
        assertThat(custom.pinnedOwner("NEW")).contains("new-coin");
    }
}
