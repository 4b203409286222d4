package io.assetetl.run;

/** The failure that {@code ETL_FAIL_AFTER_RECORDS} injects into a run, for demos and recovery tests. */
public class InjectedFailureException extends RuntimeException {

    public InjectedFailureException(String message) {
        super(message);
    }
}
