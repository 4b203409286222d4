package io.assetetl.spi;

/**
 * A source's configuration is missing or invalid; raised eagerly by {@link SourceFactory#create}.
 */
public class InvalidSourceConfigException extends SourceException {

    public InvalidSourceConfigException(String message) {
        super(message);
    }
}
