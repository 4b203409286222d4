package io.assetetl.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.assetetl.run.SourceDefinition;
import io.assetetl.spi.SourceConfig;
import java.util.Map;
import java.util.Optional;

/**
 * One entry of the {@code sources} configuration: changes to a built-in source, or a new source of any factory
 * type on the class path.
 *
 * @param type     the factory type; required for a new source, ignored otherwise
 * @param enabled  whether the scheduler runs it; unchanged (or true for a new source) when absent
 * @param settings source settings that replace the built-in ones of the same key
 */
public record SourceSettings(
        @JsonProperty("type") String type,
        @JsonProperty("enabled") Boolean enabled,
        @JsonProperty("settings") Map<String, String> settings) {

    public SourceSettings {
        settings = settings == null ? Map.of() : Map.copyOf(settings);
    }

    /** Applies these settings to the built-in source {@code base}, or defines source {@code name} from them. */
    SourceDefinition applyTo(String name, Optional<SourceDefinition> base) {
        if (base.isPresent()) {
            SourceDefinition b = base.get();
            return new SourceDefinition(name, b.type(), b.config().with(settings),
                    enabled == null ? b.enabled() : enabled);
        }
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("source '" + name + "' is not built in, so it needs a type");
        }
        return new SourceDefinition(name, type, SourceConfig.of(settings), enabled == null || enabled);
    }
}
