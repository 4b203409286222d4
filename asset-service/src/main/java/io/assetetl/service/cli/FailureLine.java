package io.assetetl.service.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * How every command of the service says why it failed: one line on stderr, written at once (the log's appender is
 * asynchronous and the process ends right after), a JSON object like the log's own with {@code LOG_FORMAT=json},
 * followed by a stack trace only when one is given (a bug, or an expected failure at {@code DEBUG}).
 */
final class FailureLine {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FailureLine() {
    }

    /** Prints {@code reason}, and {@code traced}'s stack trace when it is not null. */
    static void print(PrintWriter stderr, String reason, Throwable traced, boolean json, Class<?> logger) {
        String trace = null;
        if (traced != null) {
            StringWriter text = new StringWriter();
            traced.printStackTrace(new PrintWriter(text));
            trace = text.toString();
        }
        if (json) {
            ObjectNode line = JSON.createObjectNode().put("timestamp", System.currentTimeMillis()).put("level", "ERROR")
                    .put("thread", Thread.currentThread().getName()).put("logger", logger.getName())
                    .put("message", reason);
            if (trace != null) {
                line.put("exception", trace);
            }
            stderr.println(line);
        } else {
            stderr.println(reason);
            if (trace != null) {
                stderr.print(trace);
            }
        }
        stderr.flush();
    }

    /**
     * A usage error (exit 2) when the command names a configuration file that does not exist: said in one line,
     * where Dropwizard would end with the stack trace of its {@code FileNotFoundException}.
     */
    static void requireConfigurationFile(Namespace namespace) {
        String file = namespace.getString("file");
        if (file != null && !Files.exists(Path.of(file))) {
            throw new CommandExit(CommandExit.USAGE, "configuration file not found: " + file);
        }
    }
}
