package io.assetetl.run;

/**
 * A run was refused because another run of the same source holds its lock (in this or another process).
 */
public class RunRefusedException extends RuntimeException {

    private final String source;

    public RunRefusedException(String source) {
        super("a run of source '" + source + "' is already in progress");
        this.source = source;
    }

    public String source() {
        return source;
    }
}
