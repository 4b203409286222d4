/**
 * Read-side queries over the asset-etl tables, for APIs and reports: canonical assets with their sources'
 * latest prices and consensus, price history, run statistics, rejects and drift events. Nothing here writes.
 * Every query binds its inputs as parameters, so any text a caller passes is only ever a value.
 */
package io.assetetl.query;
