package io.assetetl.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;

/** Checks that a text an adapter hands out as JSON is one JSON value, as the engine stores it ({@code jsonb}). */
final class JsonText {

    /** Numbers as long as PostgreSQL's {@code numeric} writes them: the default limit is 1,000 digits. */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNumberLength(Integer.MAX_VALUE).build())
            .build();

    private JsonText() {
    }

    /** Whether {@code text} is exactly one JSON value. */
    static boolean isJson(String text) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            if (parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    /** The failure of a text that is not JSON: {@code what} names it. */
    static IllegalArgumentException notJson(String what, String text) {
        return new IllegalArgumentException(what + " is not JSON: '" + abbreviate(text) + "'");
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }
}
