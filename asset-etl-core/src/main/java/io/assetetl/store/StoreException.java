package io.assetetl.store;

/** The database refused or lost a write; the run fails with this message. */
public class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
