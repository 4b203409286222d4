package io.assetetl.sources;

import io.assetetl.spi.InvalidSourceConfigException;
import io.assetetl.spi.SourceConfig;
import java.util.Comparator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * Refuses settings a built-in source does not have. A misspelt key ({@code timezone} for {@code time_zone},
 * {@code batchsize}) was ignored, and the setting's default used without a word.
 */
public final class KnownSettings {

    /** The most edits between a misspelt key and the one it is taken for. */
    private static final int MAX_EDITS = 3;
    private static final LevenshteinDistance DISTANCE = new LevenshteinDistance(MAX_EDITS);
    private static final Pattern WORDS = Pattern.compile("[a-z]+(_[a-z]+){0,4}");

    private KnownSettings() {
    }

    /**
     * @throws InvalidSourceConfigException naming the first unknown key, the known one it is closest to, if any,
     *                                      and the source type's settings
     */
    public static void check(SourceConfig config, String type, Set<String> known) {
        for (String key : new TreeSet<>(config.settings().keySet())) {
            if (!known.contains(key)) {
                String lower = key.toLowerCase(Locale.ROOT);
                // LevenshteinDistance with a threshold answers -1 beyond it
                String closest = known.stream().filter(k -> DISTANCE.apply(k, lower) >= 0)
                        .min(Comparator.comparingInt((String k) -> DISTANCE.apply(k, lower))
                                .thenComparing(Comparator.naturalOrder()))
                        .orElse(null);
                // a key close to no setting's name may be a pasted value, such as an API key (CG-…): shown only when
                // it is near a setting's name or made of lower-case words alone
                String shown = closest != null || WORDS.matcher(key).matches() ? "'" + key + "'"
                        : "(a key that is no setting's name)";
                throw new InvalidSourceConfigException("unknown setting " + shown + " for a source of type " + type
                        + (closest == null ? "" : " (did you mean '" + closest + "'?)") + "; its settings are "
                        + String.join(", ", new TreeSet<>(known)));
            }
        }
    }
}
