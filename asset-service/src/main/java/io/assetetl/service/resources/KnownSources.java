package io.assetetl.service.resources;

import static java.util.Objects.requireNonNull;

import io.assetetl.service.http.ApiException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Reads a {@code source} query parameter as the name of a source this service knows: one configured in this process,
 * or one the database has runs or latest values of (a source removed from the configuration keeps its history, which
 * stays readable by name). Names are case-sensitive, but a name that matches exactly one known source ignoring case
 * is that source, as symbols and statuses are read in any case. A configured name costs no query; any other costs
 * one. Thread-safe.
 */
public final class KnownSources {

    private static final String PARAMETER = "source";

    /** What a {@code source} parameter takes, for the API's description of each endpoint that has one. */
    static final String DESCRIPTION = "a configured source, or one that has run (any case when only one source"
            + " matches)";

    private final Set<String> configured;
    private final Supplier<? extends Collection<String>> recorded;

    /**
     * @param configured the names of the sources configured in this process
     * @param recorded   the names the database knows of (see {@code RunQueries.sourceNames}); asked only for a name
     *                   that is not configured
     */
    public KnownSources(Collection<String> configured, Supplier<? extends Collection<String>> recorded) {
        this.configured = Set.copyOf(configured);
        this.recorded = requireNonNull(recorded, "recorded is null");
    }

    /**
     * The known source that {@code raw} names; empty when the parameter is absent.
     *
     * @throws ApiException 400 naming the parameter and listing the known sources when {@code raw} names none
     */
    Optional<String> parameter(String raw) {
        return Params.text(PARAMETER, raw).map(this::known);
    }

    private String known(String name) {
        if (configured.contains(name)) {
            return name;
        }
        SortedSet<String> known = new TreeSet<>(configured);
        known.addAll(recorded.get());
        if (known.contains(name)) {
            return name;
        }
        List<String> sameIgnoringCase = known.stream().filter(name::equalsIgnoreCase).toList();
        if (sameIgnoringCase.size() == 1) {
            return sameIgnoringCase.get(0);
        }
        if (sameIgnoringCase.size() > 1) {
            throw ApiException.badParameter(PARAMETER, "matches several known sources but for case; give one "
                    + "exactly: " + String.join(", ", sameIgnoringCase));
        }
        throw ApiException.badParameter(PARAMETER, known.isEmpty() ? "names no known source; none is configured "
                + "or has run" : "must be one of the known sources: " + String.join(", ", known));
    }
}
