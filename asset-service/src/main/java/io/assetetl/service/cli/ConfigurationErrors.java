package io.assetetl.service.cli;

import io.dropwizard.configuration.ConfigurationException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A configuration that cannot be used, said in one line: the file, then each error as {@code setting: reason}.
 * Dropwizard's message spreads an error over several lines (a YAML error quotes the file with a caret under it, an
 * unknown setting lists up to five others) and keeps the parser's words around the reason ({@code Cannot construct
 * instance of `…`, problem: …}, {@code at [Source: UNKNOWN; byte offset: #UNKNOWN]}, {@code (through reference
 * chain: …)}), which say nothing to whoever set the variable.
 */
final class ConfigurationErrors {

    private static final Pattern FILE = Pattern.compile("^(.*?) has (?:an error|the following errors):",
            Pattern.DOTALL);
    private static final Pattern UNKNOWN = Pattern.compile(
            "^Unrecognized field at: (\\S+)(?:\\s+Did you mean\\?:\\s+-\\s+(\\S+))?.*", Pattern.DOTALL);
    private static final Pattern WRONG_TYPE = Pattern.compile(
            "^Incorrect type of value at: (\\S+); is of type: (\\S+), expected: (\\S+)$");
    private static final Pattern AT_SETTING = Pattern.compile("^Failed to parse configuration at: ([^;]+); ");
    private static final Pattern PARSER_WORDS = Pattern.compile(
            "Cannot construct instance of `[^`]*`, problem: "
                    + "|\\s*at \\[Source: [^]]*]"
                    + "|\\s*\\(through reference chain: [^)]*\\)"
                    // a YAML error's quote of the file: where, the line, and a caret under the column
                    + "|\\R\\s*in '[^']*', line \\d+, column \\d+:\\R[^\\n]*\\R\\s*\\^");

    private ConfigurationErrors() {
    }

    /** {@code e}'s file and errors in one line. */
    static String describe(ConfigurationException e) {
        Matcher file = FILE.matcher(e.getMessage() == null ? "" : e.getMessage());
        String errors = e.getErrors().stream().map(ConfigurationErrors::error).collect(Collectors.joining("; "));
        return (file.find() ? file.group(1) + ": " : "") + errors;
    }

    /** One of Dropwizard's errors, as {@code setting: reason} where it names the setting. */
    static String error(String error) {
        Matcher unknown = UNKNOWN.matcher(error.strip());
        if (unknown.matches()) {
            return unknown.group(1) + ": no such setting"
                    + (unknown.group(2) == null ? "" : " (did you mean " + unknown.group(2) + "?)");
        }
        String text = PARSER_WORDS.matcher(error.strip()).replaceAll("").strip().replaceAll("\\s*\\R\\s*", "; ");
        Matcher wrongType = WRONG_TYPE.matcher(text);
        if (wrongType.matches()) {
            return wrongType.group(1) + ": expected a value of type " + wrongType.group(3) + ", got a "
                    + wrongType.group(2);
        }
        Matcher setting = AT_SETTING.matcher(text);
        return setting.find() ? setting.group(1) + ": " + text.substring(setting.end()) : text;
    }
}
