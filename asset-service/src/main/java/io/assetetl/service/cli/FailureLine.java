package io.assetetl.service.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetetl.service.AssetServiceConfiguration;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * How a command of the service says why it failed: one line on stderr, written at once (the log's appender is
 * asynchronous and the process ends right after), a JSON object like the log's own when {@code LOG_FORMAT=json}
 * (the environment's before the configuration is read, as when its file is missing, and the configuration's
 * after), followed by a stack trace only when one is given (a bug, or an expected failure at {@code DEBUG}). One
 * per command.
 */
final class FailureLine {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Class<?> command;
    private volatile boolean json;

    /** @param command the command, named as the line's logger */
    FailureLine(Class<?> command, Map<String, String> environment) {
        this.command = command;
        this.json = "json".equals(environment.get("LOG_FORMAT"));
    }

    /** The command's configuration is read: JSON lines from now on if it asks for them. */
    void configured(AssetServiceConfiguration configuration) {
        json = json || configuration.getLogFormat().equals("json");
    }

    /** Prints {@code reason}, and {@code traced}'s stack trace when it is not null. */
    void print(PrintWriter stderr, String reason, Throwable traced) {
        String trace = null;
        if (traced != null) {
            StringWriter text = new StringWriter();
            traced.printStackTrace(new PrintWriter(text));
            trace = text.toString();
        }
        if (json) {
            ObjectNode line = JSON.createObjectNode().put("timestamp", System.currentTimeMillis()).put("level", "ERROR")
                    .put("thread", Thread.currentThread().getName()).put("logger", command.getName())
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
