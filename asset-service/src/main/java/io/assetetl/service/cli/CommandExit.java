package io.assetetl.service.cli;

/**
 * Ends a command with an exit code: 1 when the run failed or was refused, 2 on a usage error. The message, if
 * any, goes to stderr: a JSON object with {@code LOG_FORMAT=json}, else a plain line. The cause of an expected
 * failure (a database that cannot be reached) is kept for the log at {@code DEBUG}, never printed otherwise.
 */
public final class CommandExit extends RuntimeException {

    public static final int FAILED = 1;
    public static final int USAGE = 2;

    private final int code;

    public CommandExit(int code, String message) {
        this(code, message, null);
    }

    public CommandExit(int code, String message, Throwable cause) {
        super(message, cause, false, false);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
