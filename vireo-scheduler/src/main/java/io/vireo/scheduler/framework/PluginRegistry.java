package io.vireo.scheduler.framework;

import static java.util.Objects.requireNonNull;

import io.vireo.common.VireoException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The plugins a framework can be built from, by name. Out-of-tree plugins are added by building a registry with the
 * in-tree ones plus their own.
 *
 * <p>Invariants: names are unique; a factory's plugin reports the name it is registered under (checked when it is
 * created). Immutable and thread-safe.
 */
public final class PluginRegistry {
    private final Map<String, PluginFactory> factories;

    private PluginRegistry(Map<String, PluginFactory> factories) {
        this.factories = Collections.unmodifiableMap(new LinkedHashMap<>(factories));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Registration order. */
    public Set<String> names() {
        return factories.keySet();
    }

    public boolean contains(String name) {
        return factories.containsKey(name);
    }

    /** A new plugin {@code name}; INVALID_ARGUMENT if there is none. */
    public Plugin create(String name) {
        PluginFactory factory = factories.get(name);
        if (factory == null) {
            throw VireoException.invalid("plugin", "no plugin '" + name + "'; registered: " + factories.keySet());
        }
        Plugin plugin = requireNonNull(factory.create(), "factory of " + name + " returned null");
        if (!plugin.name().equals(name)) {
            throw new IllegalStateException("plugin registered as " + name + " calls itself " + plugin.name());
        }
        return plugin;
    }

    /** A builder starting from this registry's plugins. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.factories.putAll(factories);
        return builder;
    }

    /** Collects factories; a name registered twice is an error. */
    public static final class Builder {
        private final Map<String, PluginFactory> factories = new LinkedHashMap<>();

        private Builder() {}

        public Builder register(String name, PluginFactory factory) {
            requireNonNull(name, "name is null");
            requireNonNull(factory, "factory is null");
            if (factories.putIfAbsent(name, factory) != null) {
                throw new IllegalArgumentException("plugin " + name + " registered twice");
            }
            return this;
        }

        public PluginRegistry build() {
            return new PluginRegistry(factories);
        }
    }
}
