package io.assetetl.query;

import java.util.List;
import java.util.Optional;

/**
 * One page of assets in canonical-symbol order.
 *
 * @param lastSymbol the symbol to continue after, present only when more assets follow
 */
public record AssetPage(List<AssetView> assets, Optional<String> lastSymbol) {

    public AssetPage {
        assets = List.copyOf(assets);
    }
}
