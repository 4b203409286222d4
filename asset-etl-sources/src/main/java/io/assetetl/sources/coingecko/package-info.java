/**
 * The {@code coingecko} source: the top coins by market capitalisation from CoinGecko's v3 {@code /coins/markets},
 * one page per batch. Only {@link io.assetetl.sources.coingecko.CoinGeckoSourceFactory} (and the
 * {@link io.assetetl.sources.coingecko.CoinGeckoPing} it answers health checks with) is public.
 *
 * <ul>
 *   <li><b>Identity.</b> An item's CoinGecko {@code id} is the observation's source id; its {@code symbol}, not
 *       unique, is left to the engine's identity rules. Items without id, symbol or a positive price, or with an
 *       unreadable number or timestamp, are rejections, never failures.</li>
 *   <li><b>Raw rows.</b> Each item's JSON text as received, keyed {@code id@last_updated#digest} (the first 16
 *       hex digits of the text's SHA-256), so a coin that did not change is stored once and counts as unchanged,
 *       while an item that gives the same coin and time other values (listed twice, or a corrected page) is kept
 *       too, and {@code reprocess}, which reads the texts back in the order they were last read (an unchanged item
 *       fetched again after another of the same coin and time counts from that fetch), reaches the same
 *       observations. Should {@code last_updated} be null the page's fetch time, stored with the raw row, is used
 *       instead (and in the key). Rows stored before the digest was part of the key keep their keys; an unchanged
 *       item fetched again after that upgrade is stored once more, under its new key.</li>
 *   <li><b>Checkpoints.</b> {@code {"snapshot_at", "next_page", "complete"}}: a failed run restarted within
 *       {@code resume_window} continues the snapshot at the page that failed; later, or after a complete snapshot,
 *       a run starts a new one at page 1. An empty page, a short page or the {@code pages} cap ends a snapshot.</li>
 *   <li><b>Calls.</b> One retry layer (resilience4j; Feign's retryer is off) on 429, 5xx, timeouts and unreadable
 *       bodies, exponential backoff with jitter, {@code Retry-After} honoured (one beyond {@code max_wait} fails
 *       the run without another call, and no run of the same budget in the process calls before that time: one
 *       that would have to wait longer than its {@code max_wait} fails at once, without a call); other 4xx fail
 *       the run at once. Every
 *       request first takes a permit from a rate limiter the factory shares between all its sources of one base
 *       URL and budget, and waits until a slot has passed since that budget's previous call ({@code Spacing}).
 *       The API key travels in a header only and is never logged, stored or put in an error. An interruption of
 *       the reading thread (the run being stopped) cancels the call waiting for its answer at once, closing its
 *       connection, and fails the read as interrupted, without another attempt.</li>
 *   <li><b>Drift.</b> Fields added to or missing from the documented item shape are reported once per run as
 *       {@code field_added} / {@code field_missing} drift events.</li>
 * </ul>
 */
package io.assetetl.sources.coingecko;
