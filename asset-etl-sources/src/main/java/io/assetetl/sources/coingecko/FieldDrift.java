package io.assetetl.sources.coingecko;

import io.assetetl.model.DriftEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Compares the fields of each page's items with the expected ones and reports each difference once per reader:
 * {@code field_added} for a field CoinGecko began to send, {@code field_missing} for an expected field absent from
 * some item. Not thread-safe; one per reader.
 */
final class FieldDrift {

    static final String FIELD_ADDED = "field_added";
    static final String FIELD_MISSING = "field_missing";
    static final String ITEMS_REJECTED = "items_rejected";

    private final Set<String> expected;
    private final Set<String> required;
    private final Set<String> reported = new HashSet<>();

    FieldDrift(List<String> expected, List<String> required) {
        this.expected = new LinkedHashSet<>(expected);
        this.required = Set.copyOf(required);
    }

    /**
     * The required fields absent from every one of a page's items, given each item's field names: not some bad
     * items but a change of CoinGecko's API, which leaves the adapter nothing to read. Empty for an empty page.
     */
    List<String> requiredMissingFromAll(List<List<String>> itemFields) {
        List<String> missing = new ArrayList<>();
        if (itemFields.isEmpty()) {
            return missing;
        }
        for (String field : required) {
            if (itemFields.stream().noneMatch(fields -> fields.contains(field))) {
                missing.add(field);
            }
        }
        missing.sort(null);
        return missing;
    }

    /** The drift events of a page not reported before, given each item's field names. */
    List<DriftEvent> check(List<List<String>> itemFields) {
        Set<String> seen = new LinkedHashSet<>();
        Set<String> missing = new LinkedHashSet<>();
        for (List<String> fields : itemFields) {
            seen.addAll(fields);
            for (String field : expected) {
                if (!fields.contains(field)) {
                    missing.add(field);
                }
            }
        }
        List<DriftEvent> events = new ArrayList<>();
        for (String field : seen) {
            if (!expected.contains(field) && reported.add("+" + field)) {
                events.add(new DriftEvent(FIELD_ADDED, null, field, 1.0, "ignored"));
            }
        }
        for (String field : missing) {
            if (reported.add("-" + field)) {
                events.add(new DriftEvent(FIELD_MISSING, field, null, 1.0,
                        required.contains(field) ? ITEMS_REJECTED : "treated_as_null"));
            }
        }
        return events;
    }
}
