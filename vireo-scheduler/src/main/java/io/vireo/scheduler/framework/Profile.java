package io.vireo.scheduler.framework;

import static java.util.Objects.requireNonNull;

import io.vireo.common.VireoException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A named scheduling policy: the plugins to run, in order (filters run in this order, which decides which filter an
 * explanation blames), each with a score weight. Chosen by name from configuration.
 *
 * <p>Invariants: 1 to {@link #MAX_PLUGINS} plugins, no name twice.
 */
public record Profile(String name, List<PluginSpec> plugins) {
    public static final int MAX_PLUGINS = 64;

    public Profile {
        requireNonNull(name, "name is null");
        plugins = List.copyOf(plugins);
        if (plugins.isEmpty() || plugins.size() > MAX_PLUGINS) {
            throw VireoException.invalid("plugins", "a profile has 1.." + MAX_PLUGINS + " plugins");
        }
        Set<String> seen = new HashSet<>();
        for (PluginSpec plugin : plugins) {
            if (!seen.add(plugin.name())) {
                throw VireoException.invalid("plugins", "profile " + name + " lists " + plugin.name() + " twice");
            }
        }
    }
}
