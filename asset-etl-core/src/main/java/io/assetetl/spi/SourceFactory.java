package io.assetetl.spi;

/**
 * Creates {@link Source}s of one type. Factories are found with {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/io.assetetl.spi.SourceFactory}) or registered by hand.
 *
 * <p>One factory instance lives as long as the process that loaded it and may be called from several threads; it
 * is the place for state that all sources of its type share, such as an API rate limiter.
 */
public interface SourceFactory {

    /** The type name used in configuration and on the command line, for example {@code csv}. */
    String type();

    /**
     * Creates a source, validating its configuration eagerly. The engine calls it twice for each run: once to check
     * the settings, closing that source at once, so that settings refused are refused to the run's caller before
     * anything is recorded, and once for the run. So it should make no call and open no connection.
     *
     * @param name    the configured name of the source (equal to {@link #type()} for the built-in defaults)
     * @param config  its settings; a factory may refuse keys it does not know, as the built-in ones do, so that a
     *                misspelt one is not ignored
     * @param context what the engine offers to sources (clock, metrics)
     * @return a new source; the caller closes it
     * @throws InvalidSourceConfigException when a setting is missing or invalid
     */
    Source create(String name, SourceConfig config, SourceContext context);
}
