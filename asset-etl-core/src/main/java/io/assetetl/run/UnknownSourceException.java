package io.assetetl.run;

/** No source of that name is configured. */
public class UnknownSourceException extends RuntimeException {

    public UnknownSourceException(String source, java.util.Collection<String> known) {
        super("unknown source '" + source + "'; known sources: " + String.join(", ", new java.util.TreeSet<>(known)));
    }
}
