package io.assetetl.service.cli;

import java.util.Optional;

/**
 * Ends a command with an exit code: 1 when the run failed or was refused, 2 on a usage error. The message, if
 * any, goes to stderr: through the log once the configuration's logging is in place, else as a plain line.
 */
public final class CommandExit extends RuntimeException {

    public static final int FAILED = 1;
    public static final int USAGE = 2;

    private final int code;

    public CommandExit(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Why the command ended, for stderr; empty when it has been reported already. */
    public Optional<String> reason() {
        return Optional.ofNullable(getMessage());
    }

    /** The same exit, its reason reported already (logged). */
    CommandExit reported() {
        return new CommandExit(code, null);
    }
}
