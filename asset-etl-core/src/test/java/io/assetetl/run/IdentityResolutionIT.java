package io.assetetl.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetetl.AssetEtl;
import io.assetetl.model.IdentityRules;
import io.assetetl.spi.SourceConfig;
import io.assetetl.testing.ListSourceFactory;
import io.assetetl.testing.TestDatabase;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdentityResolutionIT {

    private static RunResult run(TestDatabase db, String dataset, int batchSize, Map<String, String> pins) {
        return AssetEtl.builder().dataSource(db.dataSource()).discoverFactories(false)
                .factory(new ListSourceFactory())
                // the built-in pins, and these, as if the list source's ids were CoinGecko's
                .identityRules(IdentityRules.defaults().withPins(pins).withPinnedTypes(Set.of("list")))
                .source(SourceDefinition.of("api", "list", SourceConfig.of(Map.of(
                        "dataset", dataset, "batch_size", Integer.toString(batchSize)))))
                .build().run(RunRequest.of("api"));
    }

    private static Map<String, String> owners(TestDatabase db) {
        Map<String, String> owners = new java.util.TreeMap<>();
        db.jdbi().useHandle(h -> h.createQuery("""
                SELECT a.canonical_symbol, s.source_key FROM asset_sources s JOIN assets a ON a.id = s.asset_id""")
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> owners.put(e.getKey(), e.getValue())));
        return owners;
    }

    private static List<String> conflicts(TestDatabase db) {
        return db.jdbi().withHandle(h -> h.createQuery(
                "SELECT raw->>'row' FROM etl_rejects WHERE reason = 'identity_conflict' ORDER BY id")
                .mapTo(String.class).list());
    }

    @Test
    void anAssetCreatedWithoutANameTakesTheFirstNameARecordGivesItAndKeepsIt() {
        TestDatabase db = TestDatabase.create();
        ListSourceFactory.dataset("nameless", List.of("btc,,95000,1700000000,"));
        ListSourceFactory.dataset("named", List.of("btc,,96000,1700003600,", "btc,,96100,1700003601,Bitcoin"));
        ListSourceFactory.dataset("renamed", List.of("btc,,97000,1700007200,Other Coin"));

        run(db, "nameless", 10, Map.of());
        assertThat(names(db)).containsExactly("BTC=null");
        run(db, "named", 10, Map.of());
        assertThat(names(db)).as("the asset and its summary").containsExactly("BTC=Bitcoin");
        run(db, "renamed", 10, Map.of());
        assertThat(names(db)).containsExactly("BTC=Bitcoin");
    }

    /** Each asset's name, and its summary's where that differs. */
    private static List<String> names(TestDatabase db) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT a.canonical_symbol || '=' || coalesce(a.name, 'null')
                       || CASE WHEN s.name IS DISTINCT FROM a.name THEN ' (summary: ' || coalesce(s.name, 'null') || ')'
                               ELSE '' END
                FROM assets a LEFT JOIN asset_summaries s ON s.asset_id = a.id ORDER BY 1""")
                .mapTo(String.class).list());
    }

    @Test
    void aPinnedIdOwnsItsSymbolEvenWhenAnotherIdComesFirst() {
        TestDatabase db = TestDatabase.create();
        ListSourceFactory.dataset("usdt", List.of(
                "usdt,bridged-usdt,1.01,1700000000",
                "usdt,tether,1.00,1700000000",
                "usdt,another-usdt,0.99,1700000000"));

        RunResult result = run(db, "usdt", 10, Map.of());

        assertThat(owners(db)).containsExactly(Map.entry("USDT", "tether"));
        assertThat(conflicts(db)).containsExactly(
                "usdt,bridged-usdt,1.01,1700000000", "usdt,another-usdt,0.99,1700000000");
        assertThat(result.rejected()).isEqualTo(2);
        assertThat(result.loaded()).isEqualTo(1);
    }

    @Test
    void thePinsOfCoinGeckoIdsDoNotDecideTheOwnersOfASourceWithIdsOfItsOwn() {
        TestDatabase db = TestDatabase.create();
        // a CoinMarketCap-like source: 1 is Bitcoin, 1027 Ethereum
        ListSourceFactory.dataset("own-ids", List.of("BTC,1,95000,1700000000,Bitcoin",
                "ETH,1027,3500,1700000000,Ethereum", "BTC,9999,1,1700000000,Bitcoin Copy"));

        RunResult result = AssetEtl.builder().dataSource(db.dataSource()).discoverFactories(false)
                .factory(new ListSourceFactory())
                .source(SourceDefinition.of("cmc", "list", SourceConfig.of(Map.of("dataset", "own-ids"))))
                .build().run(RunRequest.of("cmc"));

        assertThat(result.loaded()).isEqualTo(2);
        assertThat(owners(db)).containsExactly(Map.entry("BTC", "1"), Map.entry("ETH", "1027"));
        assertThat(conflicts(db)).as("the first id keeps its symbol")
                .containsExactly("BTC,9999,1,1700000000,Bitcoin Copy");
    }

    @Test
    void reprocessKeepsTheOwnerAPinGaveWhenThePinIsNoLongerConfigured() {
        TestDatabase db = TestDatabase.create();
        ListSourceFactory.dataset("foo", List.of(
                "foo,foo-alpha,10,1700000000",
                "foo,foo-beta,20,1700000000"));
        run(db, "foo", 10, Map.of("foo", "foo-beta"));

        RunResult reprocessed = AssetEtl.builder().dataSource(db.dataSource()).discoverFactories(false)
                .factory(new ListSourceFactory())
                .source(SourceDefinition.of("api", "list", SourceConfig.of(Map.of("dataset", "foo"))))
                .build().reprocess("api");

        assertThat(reprocessed.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(owners(db)).containsExactly(Map.entry("FOO", "foo-beta"));
        assertThat(conflicts(db)).containsExactly("foo,foo-alpha,10,1700000000", "foo,foo-alpha,10,1700000000");
    }

    @Test
    void withoutAPinTheFirstIdKeepsTheSymbolAcrossRunsWithoutFlipFlopping() {
        TestDatabase db = TestDatabase.create();
        ListSourceFactory.dataset("pepe-1", List.of(
                "pepe,pepe,0.000011,1700000000",
                "pepe,pepe-on-other-chain,0.5,1700000000"));
        ListSourceFactory.dataset("pepe-2", List.of(
                "pepe,pepe-on-other-chain,0.6,1700003600",
                "pepe,pepe,0.000012,1700003600"));

        run(db, "pepe-1", 10, Map.of());
        db.jdbi().useHandle(h -> h.execute("DELETE FROM etl_checkpoints"));
        run(db, "pepe-2", 10, Map.of());

        assertThat(owners(db)).containsExactly(Map.entry("PEPE", "pepe"));
        assertThat(conflicts(db)).containsExactly(
                "pepe,pepe-on-other-chain,0.5,1700000000", "pepe,pepe-on-other-chain,0.6,1700003600");
        String price = db.jdbi().withHandle(h -> h.createQuery("SELECT price_usd::text FROM asset_sources")
                .mapTo(String.class).one());
        assertThat(price).isEqualTo("0.000012");
    }

    @Test
    void anIdWhoseSymbolChangesMovesToTheAssetOfItsNewSymbolAndLeavesTheOldOneWithoutASummary() {
        TestDatabase db = TestDatabase.create();
        ListSourceFactory.dataset("matic", List.of("matic,matic-network,0.50,1700000000,Polygon",
                "eth,ethereum,3000,1700000000,Ethereum"));
        ListSourceFactory.dataset("pol", List.of("pol,matic-network,0.45,1700003600,POL (ex-MATIC)",
                "eth,ethereum,3100,1700003600,Ethereum"));
        ListSourceFactory.dataset("matic-replayed", List.of("matic,matic-network,0.50,1700000000,Polygon"));

        run(db, "matic", 10, Map.of());
        db.jdbi().useHandle(h -> h.execute("DELETE FROM etl_checkpoints"));
        RunResult renamed = run(db, "pol", 10, Map.of());
        db.jdbi().useHandle(h -> h.execute("DELETE FROM etl_checkpoints"));
        run(db, "matic-replayed", 10, Map.of());

        assertThat(renamed.loaded()).isEqualTo(2);
        assertThat(owners(db)).as("an older record under the old symbol moves nothing back")
                .containsExactly(Map.entry("ETH", "ethereum"), Map.entry("POL", "matic-network"));
        List<String> summaries = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT canonical_symbol || ' ' || consensus_price_usd || ' ' || source_count FROM asset_summaries
                ORDER BY canonical_symbol""").mapTo(String.class).list());
        assertThat(summaries).containsExactly("ETH 3100 1", "POL 0.45 1");
        List<String> history = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT a.canonical_symbol || ' ' || q.price_usd FROM asset_quotes q JOIN assets a ON a.id = q.asset_id
                WHERE a.canonical_symbol IN ('MATIC', 'POL') ORDER BY q.observed_at""").mapTo(String.class).list());
        assertThat(history).as("each price stays under the symbol it was quoted with")
                .containsExactly("MATIC 0.50", "POL 0.45");
    }

    /**
     * FTM's owner moves to S (as Fantom became Sonic; no pin decides either symbol), and an id that listed FTM all
     * along takes FTM: each chunk gave FTM to the id that owned it when the chunk was read. A reprocess, in pages of
     * any size, gives each record the owner of its own chunk, not the owner FTM has at the end, nor the owner of the
     * page it is replayed in.
     */
    @Test
    void reprocessGivesEachRecordTheOwnerItsSymbolHadWhenTheIngestReadIt() {
        TestDatabase db = TestDatabase.create();
        ListSourceFactory.dataset("moves", List.of(
                "ftm,fantom,0.50,1700000000,Fantom",
                "ftm,fantom-bridged,0.51,1700000000",
                "s,fantom,0.45,1700003600,Sonic",
                "ftm,fantom-bridged,0.52,1700003600",
                "ftm,fantom,0.46,1700007200"));

        RunResult ingested = run(db, "moves", 1, Map.of());

        assertThat(ingested.loaded()).isEqualTo(3);
        assertThat(owners(db)).containsExactly(Map.entry("FTM", "fantom-bridged"), Map.entry("S", "fantom"));
        assertThat(conflicts(db)).containsExactly("ftm,fantom-bridged,0.51,1700000000",
                "ftm,fantom,0.46,1700007200");
        assertThat(reprocessDiffers(db, "moves", 1)).isEmpty();
        assertThat(conflicts(db)).as("the reprocess rejects what the ingest rejected").endsWith(
                "ftm,fantom-bridged,0.51,1700000000", "ftm,fantom,0.46,1700007200");
    }

    @Test
    void reprocessKeepsAnOwnerThatMovedInTheChunkThatAnotherIdClaimedItsOldSymbolIn() {
        TestDatabase db = TestDatabase.create();
        // the move and the other id's claim in one chunk: FTM was still owned when the chunk was read
        ListSourceFactory.dataset("move-and-claim", List.of(
                "ftm,fantom,0.50,1700000000,Fantom",
                "s,fantom,0.45,1700003600,Sonic",
                "ftm,fantom-bridged,0.52,1700003600",
                "ftm,fantom-bridged,0.53,1700007200"));

        run(db, "move-and-claim", 3, Map.of());

        assertThat(owners(db)).containsExactly(Map.entry("FTM", "fantom-bridged"), Map.entry("S", "fantom"));
        assertThat(conflicts(db)).containsExactly("ftm,fantom-bridged,0.52,1700003600");
        assertThat(reprocessDiffers(db, "move-and-claim", 3)).isEmpty();
    }

    @Test
    void reprocessGivesTheNotedOwnersAlsoToItemsWhoseRecordKeysAreStoredMarked() {
        TestDatabase db = TestDatabase.create();
        // the list source's record keys are "dataset:index": a NUL in them is stored marked
        String dataset = "moves\u0000marked";
        ListSourceFactory.dataset(dataset, List.of(
                "ftm,fantom,0.50,1700000000,Fantom",
                "ftm,fantom-bridged,0.51,1700000000",
                "s,fantom,0.45,1700003600,Sonic",
                "ftm,fantom-bridged,0.52,1700003600"));

        run(db, dataset, 1, Map.of());

        assertThat(owners(db)).containsExactly(Map.entry("FTM", "fantom-bridged"), Map.entry("S", "fantom"));
        assertThat(reprocessDiffers(db, dataset, 1)).isEmpty();
    }

    /**
     * A pin configured for one run gave FTM to another id, which then owned it, and is no longer configured: a page
     * of the reprocess that held both owners' records moved both ids' latest values to FTM's asset, which holds one
     * id of a source, and the reprocess failed. Pages end where a symbol's owner changes.
     */
    @Test
    void reprocessOfASymbolWhoseOwnerAPinChangedForOneRunSucceedsAndKeepsBothOwnersRecords() {
        TestDatabase db = TestDatabase.create();
        ListSourceFactory.dataset("pin-for-a-run", List.of("ftm,fantom,0.50,1700000000,Fantom"));
        run(db, "pin-for-a-run", 10, Map.of());
        ListSourceFactory.dataset("pin-for-a-run", List.of("ftm,fantom,0.50,1700000000,Fantom",
                "ftm,fantom-bridged,0.52,1700003600"));
        run(db, "pin-for-a-run", 10, Map.of("ftm", "fantom-bridged"));

        assertThat(owners(db)).containsExactly(Map.entry("FTM", "fantom-bridged"));
        assertThat(reprocessDiffers(db, "pin-for-a-run", 10)).isEmpty();
    }

    /**
     * Fantom's move to S is read again, and numbered again, after fantom-bridged took FTM (whose record, read again
     * in a chunk that changed nothing, kept its number): a page holding fantom's FTM record and fantom-bridged's, but
     * not the move, held two owners of FTM, and the reprocess failed.
     */
    @Test
    void reprocessSucceedsWhenAnOwnersMoveIsReadAgainAfterAnotherIdTookItsSymbol() {
        TestDatabase db = TestDatabase.create();
        String claim = "ftm,fantom,0.50,1700000000,Fantom";
        ListSourceFactory.dataset("move-read-again", List.of(claim));
        run(db, "move-read-again", 1, Map.of());
        ListSourceFactory.dataset("move-read-again", List.of(claim, "eth,ethereum,3000,1700000000,Ethereum",
                "s,fantom,0.45,1700003600,Sonic", "ftm,fantom-bridged,0.52,1700003600"));
        db.jdbi().useHandle(h -> h.execute("UPDATE etl_checkpoints SET position = '{\"next\": 2}'"));
        run(db, "move-read-again", 1, Map.of());
        db.jdbi().useHandle(h -> h.execute("UPDATE etl_checkpoints SET position = '{\"next\": 1}'"));
        // [eth, the move read again] loads eth and numbers the move again; [fantom-bridged read again] loads nothing
        run(db, "move-read-again", 2, Map.of());

        assertThat(owners(db)).containsExactly(Map.entry("ETH", "ethereum"), Map.entry("FTM", "fantom-bridged"),
                Map.entry("S", "fantom"));
        List<String> order = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT payload->>'row' FROM raw_records ORDER BY coalesce(last_read, id)").mapTo(String.class).list());
        assertThat(order).containsExactly(claim, "ftm,fantom-bridged,0.52,1700003600",
                "eth,ethereum,3000,1700000000,Ethereum", "s,fantom,0.45,1700003600,Sonic");
        assertThat(reprocessDiffers(db, "move-read-again", 10)).isEmpty();
    }

    /** How a reprocess of the ingests' tables, in pages of 1, 2 and 3 records and then whole, broke the contract. */
    private static Optional<String> reprocessDiffers(TestDatabase db, String dataset, int batchSize) {
        SourceDefinition source = SourceDefinition.of("api", "list", SourceConfig.of(Map.of(
                "dataset", dataset, "batch_size", Integer.toString(batchSize))));
        try (AssetEtl etl = AssetEtl.builder().dataSource(db.dataSource()).discoverFactories(false)
                .factory(new ListSourceFactory())
                .identityRules(IdentityRules.defaults().withPinnedTypes(Set.of("list"))).source(source).build()) {
            return ReprocessComparison.check(db, etl, Clock.systemUTC(), source, new ListSourceFactory(),
                    List.of(ReprocessComparison.ReplayPages.of(1), ReprocessComparison.ReplayPages.of(2),
                            ReprocessComparison.ReplayPages.of(3)));
        }
    }

    @Test
    void conflictsAcrossChunksAreResolvedAgainstTheStoredOwner() {
        TestDatabase db = TestDatabase.create();
        ListSourceFactory.dataset("weth", List.of(
                "weth,weth,3000,1700000000",
                "weth,bridged-weth,3001,1700000000",
                "weth,arbitrum-weth,2999,1700000000"));

        RunResult result = run(db, "weth", 1, Map.of());

        assertThat(owners(db)).containsExactly(Map.entry("WETH", "weth"));
        assertThat(result.rejected()).isEqualTo(2);
        assertThat(db.count("asset_quotes")).isEqualTo(1);
    }

    @Test
    void configuredPinsAddToTheBuiltInOnes() {
        TestDatabase db = TestDatabase.create();
        ListSourceFactory.dataset("pinned", List.of(
                "abc,abc-fake,1,1700000000",
                "abc,abc-real,2,1700000000",
                "btc,batcat,3,1700000000",
                "btc,bitcoin,60000,1700000000"));

        run(db, "pinned", 10, Map.of("ABC", "abc-real"));

        assertThat(owners(db)).containsOnly(Map.entry("ABC", "abc-real"), Map.entry("BTC", "bitcoin"));
    }

    @Test
    void conflictingIdsNeverCreateAnAssetOfTheirOwn() {
        TestDatabase db = TestDatabase.create();
        ListSourceFactory.dataset("only-conflicts", List.of("eth,ethereum-wormhole,3000,1700000000"));

        RunResult result = run(db, "only-conflicts", 10, Map.of());

        assertThat(result.rejected()).isEqualTo(1);
        assertThat(db.count("assets")).isZero();
        assertThat(db.count("raw_records")).isEqualTo(1);
    }
}
