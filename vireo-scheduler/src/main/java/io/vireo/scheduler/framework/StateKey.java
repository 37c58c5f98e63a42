package io.vireo.scheduler.framework;

import static java.util.Objects.requireNonNull;

/** A typed slot in {@link CycleState}; by convention named after the plugin that writes it. */
public record StateKey<T>(String name, Class<T> type) {
    public StateKey {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
    }

    public static <T> StateKey<T> of(String name, Class<T> type) {
        return new StateKey<>(name, type);
    }
}
