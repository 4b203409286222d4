package io.assetetl.run;

import java.util.Locale;

/** The states of a run in {@code etl_runs}. */
public enum RunStatus {
    RUNNING, SUCCEEDED, FAILED, ABANDONED;

    /** The lower-case name stored in the database and shown over HTTP. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunStatus fromCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
