/**
 * How the run engine writes the store and reads it back: chunks, the run ledger, raw replay and the rebuild by
 * difference, the per-asset summaries. Public only for the core's other packages ({@code io.assetetl.run},
 * {@code io.assetetl.query}); not API, and it changes without notice. Programs use {@link io.assetetl.AssetEtl}.
 */
package io.assetetl.store.internal;
